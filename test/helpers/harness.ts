// Test harness: a real MCP client (the SDK's v2 client) connected one of three ways — in memory or through the
// HTTP entry in process (startHarness, with the emulator as the real HTTP peer), over stdio to a process (the
// built bin, or any command), or over Streamable HTTP to a URL (connectClient) — and the built bin started
// as a long-running server that announces its URL (startBin). Every tool result (text and structuredContent),
// resource read, logging notification and a stdio server's stderr is checked for leaked API keys.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import type { CallToolResult, ClientOptions, ReadResourceResult } from "@modelcontextprotocol/client";
import { Client, InMemoryTransport, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { expect } from "vitest";
import type { z } from "zod";
import type { Config } from "../../src/config.js";
import type { Emulator } from "../../src/sandbox/emulator.js";
import type { ServerDependencies } from "../../src/server.js";
import { within } from "./wait.js";

/** A distinctive key: any appearance of it in output is a leak. */
export const TEST_API_KEY = "exa-test-key-7f3a9c2e51d84b06";
export const BIN_PATH = new URL("../../dist/index.js", import.meta.url).pathname;

/** A client connected to a server, every answer checked for leaks. */
export interface McpSession {
  client: Client;
  call(name: string, args?: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<ToolAnswer>;
  /** Reads a resource; checked for leaks like a tool answer, and so is the error message of a failed read. */
  readResource(uri: string): Promise<ReadResourceResult>;
  /** Logging notifications received so far (until a test sets its own handler); checked for leaks at close. */
  logs: unknown[];
  close(): Promise<void>;
}

export interface Harness extends McpSession {
  emulator: Emulator;
  config: Config;
  /** Lines the server wrote to stderr (warnings). */
  stderr: string[];
}

export interface ClientSession extends McpSession {
  /** What the server process wrote to stderr so far (stdio; empty otherwise); checked for leaks at close. */
  stderr(): string;
}

export interface ToolAnswer {
  text: string;
  isError: boolean;
  structured: Record<string, unknown> | undefined;
  raw: CallToolResult;
}

/** What a tool's structuredContent holds: its output schema's type (`OutputOf<typeof listWebhooksTool>`). */
export type OutputOf<Tool extends { outputSchema: z.ZodType }> = z.infer<Tool["outputSchema"]>;

/** A process to run, with a clean environment: PATH (unless `env` sets its own) and `env`. */
export interface Command {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

/** The built bin with these arguments and environment, run by the Node running the tests. */
export function builtBin(args: string[] = [], env: Record<string, string> = {}): Command {
  return { command: process.execPath, args: [BIN_PATH, ...args], env };
}

/** How connectClient reaches its server. */
export type ClientTransportOptions =
  | ({ kind: "stdio" } & Command)
  | { kind: "http"; url: string; headers?: Record<string, string>; fetch?: typeof fetch }
  /** The client half of a pair whose server half the caller connects (startHarness does). */
  | { kind: "memory"; transport: InMemoryTransport };

export interface ConnectOptions {
  transport: ClientTransportOptions;
  /** Client options, e.g. supportedProtocolVersions to pin a 2025 revision, or versionNegotiation. */
  client?: ClientOptions;
}

/** A real client over stdio, Streamable HTTP or memory. The server it reaches is the caller's to stop. */
export async function connectClient(options: ConnectOptions): Promise<ClientSession> {
  const target = options.transport;
  let stderr = "";
  let transport: Parameters<Client["connect"]>[0];
  if (target.kind === "stdio") {
    const stdio = new StdioClientTransport({
      command: target.command,
      args: target.args,
      env: processEnv(target.env),
      ...(target.cwd ? { cwd: target.cwd } : {}),
      stderr: "pipe",
    });
    stdio.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    transport = stdio;
  } else if (target.kind === "http") {
    transport = new StreamableHTTPClientTransport(new URL(target.url), {
      ...(target.headers ? { requestInit: { headers: target.headers } } : {}),
      ...(target.fetch ? { fetch: target.fetch } : {}),
    });
  } else {
    transport = target.transport;
  }
  const client = new Client({ name: "test-client", version: "1.0.0" }, options.client ?? {});
  await client.connect(transport);
  const logs: unknown[] = [];
  client.setNotificationHandler("notifications/message", (notification) => {
    logs.push(notification.params);
  });
  return {
    client,
    logs,
    stderr: () => stderr,
    call: (name, args = {}, callOptions = {}) => callTool(client, name, args, callOptions.signal),
    readResource: async (uri) => {
      try {
        const read = await client.readResource({ uri });
        expectNoSecretLeak(JSON.stringify(read));
        return read;
      } catch (error) {
        expectNoSecretLeak(String(error));
        throw error;
      }
    },
    close: async () => {
      expectNoSecretLeak(JSON.stringify(logs));
      await client.close();
      expectNoSecretLeak(stderr);
    },
  };
}

/** The built bin over stdio, as Claude Desktop runs it. The client speaks 2025 unless `clientOptions` say. */
export function spawnBuiltServer(
  args: string[] = [],
  env: Record<string, string> = {},
  clientOptions: ClientOptions = {},
): Promise<ClientSession> {
  return connectClient({ transport: { kind: "stdio", ...builtBin(args, env) }, client: clientOptions });
}

export interface HarnessOptions {
  env?: Record<string, string | undefined>;
  flags?: { readOnly?: boolean; tools?: string[]; sandbox?: boolean };
  dependencies?: ServerDependencies;
  emulator?: Emulator;
  /**
   * How the client connects. "memory" (default, fast): in-memory pair, 2025 protocol. "http-auto": the HTTP
   * entry in process with version negotiation, so a 2026-07-28 client; "http-legacy": the same entry, 2025.
   */
  connection?: "memory" | "http-auto" | "http-legacy";
  /** Client options, e.g. supportedProtocolVersions to pin a 2025 revision. */
  client?: ClientOptions;
}

/**
 * Server in process, client real, Exa = emulator over real HTTP on 127.0.0.1. (The server's modules load here,
 * so a file that only spawns the bin does not pay for them.)
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const [{ loadConfig }, { startEmulator }, { createServer }, { createMcpHandler }] = await Promise.all([
    import("../../src/config.js"),
    import("../../src/sandbox/emulator.js"),
    import("../../src/server.js"),
    import("@modelcontextprotocol/server"),
  ]);
  const emulator = options.emulator ?? (await startEmulator());
  const config = loadConfig(
    {
      EXA_API_KEY: TEST_API_KEY,
      EXA_BASE_URL: emulator.baseUrl,
      EXA_RETRY_BASE_MS: "5",
      EXA_TIMEOUT_MS: "10000",
      // Each harness remembers only what it did itself (a test that wants a file or Postgres says so).
      EXA_WEBHOOKS_STORE: "memory",
      ...options.env,
    },
    options.flags,
  );
  const stderr: string[] = [];
  const dependencies: ServerDependencies = { stderr: (line) => stderr.push(line), ...options.dependencies };
  const connection = options.connection ?? "memory";
  let session: McpSession;
  let closeServer: () => Promise<void>;
  if (connection === "memory") {
    const server = createServer(config, dependencies);
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    [, session] = await Promise.all([
      server.connect(serverTransport),
      connectClient({ transport: { kind: "memory", transport: clientTransport }, client: options.client }),
    ]);
    closeServer = () => server.close();
  } else {
    const handler = createMcpHandler(({ era }) => createServer(config, dependencies, { era }));
    session = await connectClient({
      transport: {
        kind: "http",
        url: "http://in-process.test/mcp",
        fetch: (url, init) => handler.fetch(new Request(url, init)),
      },
      client: {
        ...(connection === "http-auto" ? { versionNegotiation: { mode: "auto" as const } } : {}),
        ...options.client,
      },
    });
    closeServer = () => handler.close();
  }
  return {
    ...session,
    emulator,
    config,
    stderr,
    close: async () => {
      await session.close();
      await closeServer();
      if (!options.emulator) await emulator.close();
    },
  };
}

async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<ToolAnswer> {
  const raw = (await client.callTool({ name, arguments: args }, signal ? { signal } : {})) as CallToolResult;
  expectNoSecretLeak(JSON.stringify(raw));
  const text = raw.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
  return {
    text,
    isError: raw.isError === true,
    structured: raw.structuredContent as Record<string, unknown> | undefined,
    raw,
  };
}

export function expectNoSecretLeak(output: string): void {
  expect(output).not.toContain(TEST_API_KEY);
}

/** The built bin run once to completion (flags, `call`), with a clean environment and no stdin. */
export function runBin(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN_PATH, ...args], {
    env: { PATH: process.env.PATH ?? "", XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "", ...env },
    encoding: "utf8",
    timeout: 30_000,
    input: "",
  });
}

/** Long enough for a child that starts (and seeds a sandbox) on a loaded machine, short of the 30 s test timeout. */
const ANNOUNCE_MS = 25_000;

export interface RunningBin {
  /** The first line the process printed: the URL it serves (or, for the emulator command, its base URL). */
  url: string;
  port: number;
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  stop(): Promise<void>;
}

/**
 * Starts a server process (usually `builtBin(["--http", ...])`) and waits until it has printed `lines` lines on
 * stdout, the first of them its URL; rejects with its stderr if it exits first.
 */
export async function startBin(command: Command, { lines = 1 }: { lines?: number } = {}): Promise<RunningBin> {
  const child = spawn(command.command, command.args, {
    env: processEnv(command.env),
    ...(command.cwd ? { cwd: command.cwd } : {}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const announced = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.split("\n").length > lines) resolve();
    });
    child.once("exit", (code) => reject(new Error(`exited ${code} before announcing; stderr: ${stderr}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const closed = new Promise((resolve) => child.once("close", resolve));
    child.kill("SIGTERM");
    await closed;
  };
  try {
    await within(announced, ANNOUNCE_MS, () => `no URL announced; stderr: ${stderr}`);
  } catch (error) {
    await stop();
    throw error;
  }
  const url = (stdout.split("\n")[0] ?? "").trim();
  return { url, port: Number(new URL(url).port), child, stdout: () => stdout, stderr: () => stderr, stop };
}

function processEnv(env: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "", XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "", ...env };
}
