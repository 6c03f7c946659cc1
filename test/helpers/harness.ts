// Test harness: a real MCP client (the SDK's v2 client) talking to the server in memory (2025 protocol), in
// process through the HTTP entry (either protocol generation), or to the built bin over stdio, with the
// emulator as the real HTTP peer. Every tool result (text and structuredContent), resource read and logging
// notification is checked for leaked API keys.
import { spawnSync } from "node:child_process";
import type { CallToolResult, ClientOptions, ReadResourceResult } from "@modelcontextprotocol/client";
import { Client, InMemoryTransport, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { createMcpHandler } from "@modelcontextprotocol/server";
import { expect } from "vitest";
import { type Config, loadConfig } from "../../src/config.js";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import { createServer, type ServerDependencies } from "../../src/server.js";

/** A distinctive key: any appearance of it in output is a leak. */
export const TEST_API_KEY = "exa-test-key-7f3a9c2e51d84b06";
export const BIN_PATH = new URL("../../dist/index.js", import.meta.url).pathname;

export interface Harness {
  client: Client;
  emulator: Emulator;
  config: Config;
  /** Lines the server wrote to stderr (warnings). */
  stderr: string[];
  call(name: string, args?: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<ToolAnswer>;
  /** Reads a resource; checked for leaks like a tool answer, and so is the error message of a failed read. */
  readResource(uri: string): Promise<ReadResourceResult>;
  /** Logging notifications received so far (until a test sets its own handler); checked for leaks at close. */
  logs: unknown[];
  close(): Promise<void>;
}

export interface ToolAnswer {
  text: string;
  isError: boolean;
  structured: Record<string, unknown> | undefined;
  raw: CallToolResult;
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

/** Server in process, client real, Exa = emulator over real HTTP on 127.0.0.1. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emulator = options.emulator ?? (await startEmulator());
  const config = loadConfig(
    {
      EXA_API_KEY: TEST_API_KEY,
      EXA_BASE_URL: emulator.baseUrl,
      EXA_RETRY_BASE_MS: "5",
      EXA_TIMEOUT_MS: "10000",
      ...options.env,
    },
    options.flags,
  );
  const stderr: string[] = [];
  const dependencies: ServerDependencies = { stderr: (line) => stderr.push(line), ...options.dependencies };
  const connection = options.connection ?? "memory";
  const client = new Client(
    { name: "test-client", version: "1.0.0" },
    {
      ...(connection === "http-auto" ? { versionNegotiation: { mode: "auto" as const } } : {}),
      ...options.client,
    },
  );
  let closeServer: () => Promise<void>;
  if (connection === "memory") {
    const server = createServer(config, dependencies);
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
    closeServer = () => server.close();
  } else {
    const handler = createMcpHandler(({ era }) => createServer(config, dependencies, { era }));
    await client.connect(
      new StreamableHTTPClientTransport(new URL("http://in-process.test/mcp"), {
        fetch: (url, init) => handler.fetch(new Request(url, init)),
      }),
    );
    closeServer = () => handler.close();
  }
  const logs: unknown[] = [];
  client.setNotificationHandler("notifications/message", (notification) => {
    logs.push(notification.params);
  });
  return {
    client,
    emulator,
    config,
    stderr,
    logs,
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
      await closeServer();
      if (!options.emulator) await emulator.close();
    },
  };
}

export async function callTool(
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
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 30_000,
    input: "",
  });
}

export interface SpawnedServer {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

/**
 * The built bin over stdio, as Claude Desktop runs it. The client speaks 2025 by default, as most hosts do;
 * `{ versionNegotiation: { mode: "auto" } }` makes it a 2026-07-28 client.
 */
export async function spawnBuiltServer(
  args: string[] = [],
  env: Record<string, string> = {},
  clientOptions: ClientOptions = {},
): Promise<SpawnedServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN_PATH, ...args],
    env: { PATH: process.env.PATH ?? "", ...env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: "e2e-client", version: "1.0.0" }, clientOptions);
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    close: () => client.close(),
  };
}
