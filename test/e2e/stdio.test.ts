// The built bin over stdio, as Claude Desktop runs it: flags, the no-key start, JSON-RPC-only stdout,
// and the API key never printed anywhere.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { ALL_TOOLS } from "../../src/tools/index.js";
import { describe, expect, it } from "../helpers/fixtures.js";
import { BIN_PATH, runBin, spawnBuiltServer, TEST_API_KEY } from "../helpers/harness.js";

const packageVersion = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

const WRITE_TOOLS = ["create_webhook", "update_webhook", "delete_webhook"];

describe("flags", () => {
  it("--version prints the package version; --help prints usage", () => {
    const version = runBin(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(packageVersion);
    const help = runBin(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage:");
    expect(help.stdout).toContain("--read-only");
  });

  it("an unknown flag exits 2 with usage on stderr and nothing on stdout", () => {
    const result = runBin(["--frobnicate"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Unknown option '--frobnicate'");
    expect(result.stderr).toContain("Usage:");
    expect(result.stdout).toBe("");
  });

  it("an unknown tool in --tools exits 2 and lists the tools", () => {
    const result = runBin(["--tools", "list_webhooks,nope"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Unknown tool in --tools: nope");
    expect(result.stderr).toContain("list_webhooks");
  });

  it("--read-only registers no write tools; --tools registers only those named", async ({ fileEmulator: emulator }) => {
    const readOnly = await spawnBuiltServer(["--read-only"], {
      EXA_API_KEY: TEST_API_KEY,
      EXA_BASE_URL: emulator.baseUrl,
    });
    try {
      const names = (await readOnly.client.listTools()).tools.map((tool) => tool.name);
      for (const write of WRITE_TOOLS) expect(names).not.toContain(write);
      expect(names).toContain("list_webhooks");
      expect(names).toContain("diagnose_failures");
    } finally {
      await readOnly.close();
    }
    const narrow = await spawnBuiltServer(["--tools", "get_webhook,list_webhooks"], { EXA_API_KEY: TEST_API_KEY });
    try {
      const names = (await narrow.client.listTools()).tools.map((tool) => tool.name);
      expect(names.sort()).toEqual(["get_webhook", "list_webhooks"]);
    } finally {
      await narrow.close();
    }
  });
});

describe("without EXA_API_KEY", () => {
  it("still starts, lists tools, and every Exa tool explains how to set the key", async () => {
    const server = await spawnBuiltServer([]);
    try {
      const { tools } = await server.client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(
        ALL_TOOLS.filter((tool) => !tool.sandboxOnly).map((tool) => tool.name),
      );
      const answer = await server.call("list_webhooks", {});
      expect(answer.isError).toBe(true);
      expect(answer.text).toContain("EXA_API_KEY is not set");
      expect(answer.text).toContain('"env": { "EXA_API_KEY"');
      expect(answer.text).toContain("claude mcp add");
      expect(server.stderr()).toContain("EXA_API_KEY is not set");
    } finally {
      await server.close();
    }
  });
});

describe("with a key, against the emulator", () => {
  it("runs the whole webhook lifecycle over stdio; stdout carries only JSON-RPC; the key is never printed", async ({
    fileEmulator: emulator,
  }) => {
    const child = spawn(process.execPath, [BIN_PATH], {
      env: {
        PATH: process.env.PATH ?? "",
        XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "",
        EXA_API_KEY: TEST_API_KEY,
        EXA_BASE_URL: emulator.baseUrl,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    const answered = (id: number) =>
      stdout.split("\n").some((line) => line.includes(`"id":${id},`) || line.endsWith(`"id":${id}}`));
    const waitForId = (id: number) =>
      expect
        .poll(() => answered(id) || `no answer for ${id}; stderr: ${stderr}`, { timeout: 10_000, interval: 10 })
        .toBe(true);
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    });
    await waitForId(1);
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    send({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: {
        name: "create_webhook",
        arguments: { url: "https://example.com/e2e", events: ["webset.item.created"] },
      },
    });
    await waitForId(3);
    const created = parseLines(stdout).find((message) => message.id === 3) as {
      result: { structuredContent: { webhook: { id: string } } };
    };
    const webhookId = created.result.structuredContent.webhook.id;
    send({
      jsonrpc: "2.0",
      id: 4,
      method: "tools/call",
      params: { name: "update_webhook", arguments: { webhookId, url: "https://example.com/v2" } },
    });
    send({
      jsonrpc: "2.0",
      id: 5,
      method: "tools/call",
      params: { name: "list_webhook_attempts", arguments: { webhookId } },
    });
    send({
      jsonrpc: "2.0",
      id: 6,
      method: "tools/call",
      params: { name: "get_webhook", arguments: { webhookId: "webhook_missing" } },
    });
    send({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "delete_webhook", arguments: { webhookId } } });
    await waitForId(7);
    child.stdin.end();
    await new Promise((resolve) => child.on("close", resolve));

    const messages = parseLines(stdout);
    for (const message of messages) expect(message.jsonrpc).toBe("2.0");
    const byId = new Map(messages.map((message) => [message.id, message]));
    expect(JSON.stringify(byId.get(4))).toContain("https://example.com/v2");
    expect(JSON.stringify(byId.get(6))).toContain("No webhook webhook_missing");
    expect(JSON.stringify(byId.get(7))).toContain("Deleted");
    expect(emulator.store.getWebhook(webhookId)).toBeUndefined();
    expect(stdout).not.toContain(TEST_API_KEY);
    expect(stderr).not.toContain(TEST_API_KEY);
  });
});

function parseLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("tools/list of the built server", () => {
  it("is exactly what the server computes from source (both convert the schemas at run time)", async ({
    fileEmulator: emulator,
  }) => {
    const { startHarness } = await import("../helpers/harness.js");
    const fromSource = await startHarness({ emulator, flags: { sandbox: true } });
    const built = await spawnBuiltServer(["--sandbox"]);
    try {
      const expected = (await fromSource.client.listTools()).tools;
      expect((await built.client.listTools()).tools).toEqual(expected);
    } finally {
      await built.close();
      await fromSource.close();
    }
  });
});
