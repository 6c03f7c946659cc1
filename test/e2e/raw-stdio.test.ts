// The built bin spoken to in raw JSON-RPC lines, as no SDK client would: arguments that are no object, keys
// that JavaScript treats specially, a line larger than the transport accepts. Only the wire is assumed.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { startEmulator } from "../../src/sandbox/emulator.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import { BIN_PATH, TEST_API_KEY } from "../helpers/harness.js";
import { within } from "../helpers/wait.js";

interface RawServer {
  child: ChildProcessWithoutNullStreams;
  /** Sends one request, its params as raw JSON text, and resolves with its response (result or error). */
  request(method: string, paramsJson: string): Promise<Record<string, unknown>>;
  stderr(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

async function startRaw(args: string[], env: Record<string, string>): Promise<RawServer> {
  const child = spawn(process.execPath, [BIN_PATH, ...args], {
    env: { PATH: process.env.PATH ?? "", XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const waiting = new Map<number, (message: Record<string, unknown>) => void>();
  let pending = "";
  child.stdout.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines.filter((candidate) => candidate.trim())) {
      const message = JSON.parse(line) as Record<string, unknown>;
      if (typeof message.id === "number") waiting.get(message.id)?.(message);
    }
  });
  child.stdin.on("error", () => {}); // writing to a server that has exited
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let nextId = 1;
  const request = (method: string, paramsJson: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.stdin.write(`{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(method)},"params":${paramsJson}}\n`);
    });
  const clientInfo = { name: "raw", version: "1" };
  await request("initialize", JSON.stringify({ protocolVersion: "2025-06-18", capabilities: {}, clientInfo }));
  child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
  return { child, request, stderr: () => stderr, exited };
}

/** The tool result of a tools/call answered with one (not a JSON-RPC error), as text and isError. */
function toolResult(response: Record<string, unknown>): { text: string; isError: boolean } {
  expect(response.error, JSON.stringify(response.error)).toBeUndefined();
  const result = response.result as { content: { type: string; text: string }[]; isError?: boolean };
  return { text: result.content.map((part) => part.text).join("\n"), isError: result.isError === true };
}

const it = test
  /** One emulator (holding one webhook) and one raw server on it, for the file. */
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
  .extend("raw", { scope: "file" }, async ({}, { onCleanup }) => {
    const emulator = await startEmulator();
    const webhookId = emulator.store.createWebhook({ url: "https://example.com/h", events: ["webset.idle"] }).id;
    const server = await startRaw([], { EXA_API_KEY: TEST_API_KEY, EXA_BASE_URL: emulator.baseUrl });
    onCleanup(async () => {
      server.child.stdin.end();
      await server.exited;
      await emulator.close();
    });
    return { emulator, server, webhookId };
  });

// The SDK validates the request before any tool sees it: arguments that are no JSON object make a malformed
// tools/call, answered with the protocol's invalid-params error (an SDK client's callTool cannot send one).
describe("tools/call with arguments that are not an object", () => {
  it.for([
    ["a string", "webhook_1"],
    ["an array", ["webhook_1"]],
    ["a number", 3],
    ["null", null],
  ])(
    "%s gets the protocol's invalid-params error naming arguments, and nothing is sent",
    async ([_kind, args], { raw: { emulator, server } }) => {
      const before = emulator.requests.length;
      const response = await server.request("tools/call", JSON.stringify({ name: "get_webhook", arguments: args }));
      const error = response.error as { code: number; message: string };
      expect(error.code).toBe(-32602);
      expect(error.message).toContain("arguments");
      expect(emulator.requests.length).toBe(before);
    },
  );
});

describe("keys JavaScript treats specially, over the wire", () => {
  // Written as JSON text: in a JavaScript literal, "__proto__" would set the prototype instead of a key.
  it('a top-level "__proto__" cannot smuggle a field in: the SDK drops the key before the tool reads it', async ({
    raw: { server },
  }) => {
    // limit 0 would be refused if it reached the tool's schema.
    const params = '{"name":"list_webhooks","arguments":{"__proto__":{"limit":0}}}';
    const answer = toolResult(await server.request("tools/call", params));
    expect(answer.isError, answer.text).toBe(false);
    expect(answer.text).toContain("webhook");
  });

  it('a metadata key "__proto__" is refused, not dropped', async ({ raw: { emulator, server, webhookId } }) => {
    const params = `{"name":"update_webhook","arguments":{"webhookId":"${webhookId}","metadata":{"__proto__":"x","team":"a"}}}`;
    const answer = toolResult(await server.request("tools/call", params));
    expect(answer.isError).toBe(true);
    expect(answer.text).toBe('Invalid input for update_webhook: metadata key "__proto__" is not allowed');
    expect(emulator.store.getWebhook(webhookId)?.metadata).toEqual({});
  });
});

describe("a line larger than the stdio transport accepts", () => {
  it.for<[string, string[]]>([
    ["plain", []],
    ["--sandbox", ["--sandbox"]],
  ])(
    "%s: the server says so in one stderr line and exits non-zero",
    { timeout: 90_000 },
    async ([_mode, args], { raw: { emulator } }) => {
      const oversized = await startRaw(args, { EXA_API_KEY: TEST_API_KEY, EXA_BASE_URL: emulator.baseUrl });
      const before = oversized.stderr();
      oversized.child.stdin.write(Buffer.alloc(11 * 1024 * 1024, "a"));
      let outcome: number | null;
      try {
        // The SDK gathers the line before refusing it: seconds of copying on a loaded 2-core machine, so a wide bound.
        outcome = await within(oversized.exited, 60_000, () => "the server went deaf instead of exiting");
      } finally {
        oversized.child.kill();
      }
      expect(outcome).not.toBe(0);
      const said = oversized.stderr().slice(before.length).trim().split("\n");
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(/^exa-webhooks-mcp: stdio transport failed \(.+\); exiting\.$/);
    },
  );
});

// A line that is not JSON at all the SDK's transport skips without a word (v2: tools like tsx and nodemon print
// to stdout); a JSON line that is not JSON-RPC it reports.
describe("a line that is not JSON-RPC", () => {
  it("is reported on stderr in one line and the server keeps answering", async ({ raw: { server } }) => {
    const before = server.stderr().length;
    server.child.stdin.write('{"this":"is not JSON-RPC"}\n');
    const listed = await server.request("tools/list", "{}");
    expect((listed.result as { tools: unknown[] }).tools.length).toBeGreaterThan(0);
    await expect
      .poll(() => server.stderr().slice(before))
      .toMatch(/^exa-webhooks-mcp: ignored a message on stdin: .+\n$/);
  });
});
