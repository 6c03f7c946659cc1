// Test harness: a real MCP client talking to the server (in memory, or the built bin over stdio),
// with the emulator as the real HTTP peer. Every tool result (text and structuredContent), resource read and
// logging notification is checked for leaked API keys.
import { spawnSync } from "node:child_process";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  type CallToolResult,
  LoggingMessageNotificationSchema,
  type ReadResourceResult,
} from "@modelcontextprotocol/sdk/types.js";
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
}

/** Server in memory (fast), client real, Exa = emulator over real HTTP on 127.0.0.1. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emulator = options.emulator ?? (await startEmulator());
  const config = loadConfig(
    {
      EXA_API_KEY: TEST_API_KEY,
      EXA_BASE_URL: emulator.baseUrl,
      EXA_RETRY_BASE_MS: "5",
      EXA_TIMEOUT_MS: "2000",
      ...options.env,
    },
    options.flags,
  );
  const server = createServer(config, options.dependencies);
  const client = new Client({ name: "test-client", version: "1.0.0" });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  const logs: unknown[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    logs.push(notification.params);
  });
  return {
    client,
    emulator,
    config,
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
      await server.close();
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
  const raw = (await client.callTool({ name, arguments: args }, undefined, signal ? { signal } : {})) as CallToolResult;
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

/** The built bin over stdio, as Claude Desktop runs it. */
export async function spawnBuiltServer(args: string[] = [], env: Record<string, string> = {}): Promise<SpawnedServer> {
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
  const client = new Client({ name: "e2e-client", version: "1.0.0" });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    close: () => client.close(),
  };
}
