// The sandbox through the built bin: --sandbox over stdio, `call` for terminals and scripts, and the
// standalone emulator command.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BIN_PATH, callTool, runBin, spawnBuiltServer } from "../helpers/harness.js";

/**
 * A runtime delivery in the child ends within its 10 s timeout, but how soon depends on the machine's load:
 * wait for the attempt as long as the test may run (vitest's default for expect.poll is 1 s).
 */
const DELIVERY_POLL = { timeout: 25_000, interval: 100 };
/**
 * A child that starts and seeds the demo (about 1.3 s of CPU when idle) gets a fifth of a core at load 10:
 * these waits only stop a hung child before the 30 s test timeout, so they are that long, minus a margin.
 */
const START_AND_SEED_MS = 25_000;
/** Node then logs each server it starts listening on stderr: the sandbox's emulator and its demo receivers. */
const NODE_DEBUG_NET = { NODE_DEBUG: "net" };
const LISTENING = /^NET \d+: setupListenHandle/m;

describe("--sandbox over stdio", () => {
  it("needs no key, marks every text as simulated, and offers sandbox_emit_event", async () => {
    const server = await spawnBuiltServer(["--sandbox"]);
    try {
      expect(server.client.getInstructions()).toMatch(/SANDBOX mode/);
      const { tools } = await server.client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("sandbox_emit_event");
      const list = await callTool(server.client, "list_webhooks", {});
      expect(list.isError).toBe(false);
      expect(list.text.startsWith("[sandbox: simulated data]")).toBe(true);
      const diagnosis = await callTool(server.client, "diagnose_failures", {});
      const report = diagnosis.structured as { webhooks: { verdict: string; groups: { category: string }[] }[] };
      const verdicts = new Set(report.webhooks.map((webhook) => webhook.verdict));
      for (const verdict of ["healthy", "failing", "inactive"]) expect(verdicts).toContain(verdict);
      const categories = new Set(report.webhooks.flatMap((webhook) => webhook.groups.map((group) => group.category)));
      for (const category of ["unreachable", "timeout", "auth_rejected", "not_found", "redirect", "server_error"]) {
        expect(categories).toContain(category);
      }
      const missing = await callTool(server.client, "get_webhook", { webhookId: "webhook_nope" });
      expect(missing.isError).toBe(true);
      expect(missing.text).toMatch(/^\[sandbox: simulated data\] No webhook webhook_nope/);
    } finally {
      await server.close();
    }
  });

  it("sandbox_emit_event delivers to a webhook and the attempt shows up", async () => {
    const server = await spawnBuiltServer(["--sandbox"]);
    try {
      const list = await callTool(server.client, "list_webhooks", { limit: 200 });
      const webhooks = (list.structured as { webhooks: { id: string; events: string[]; status: string }[] }).webhooks;
      const target = webhooks.find(
        (webhook) => webhook.status === "active" && webhook.events.includes("webset.item.created"),
      );
      if (!target) throw new Error("demo account has no active webhook for webset.item.created");
      const emitted = await callTool(server.client, "sandbox_emit_event", {
        type: "webset.item.created",
        webhookId: target.id,
      });
      expect(emitted.isError).toBe(false);
      const { eventId } = emitted.structured as { eventId: string };
      await expect
        .poll(async () => {
          const attempts = await callTool(server.client, "list_webhook_attempts", { webhookId: target.id, limit: 10 });
          return (attempts.structured as { attempts: { eventId: string }[] }).attempts.some(
            (attempt) => attempt.eventId === eventId,
          );
        }, DELIVERY_POLL)
        .toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe("sandbox_set_receiver over stdio", () => {
  it("fixes the crashing demo receiver, and the next delivery to it succeeds", async () => {
    const server = await spawnBuiltServer(["--sandbox"]);
    try {
      const list = await callTool(server.client, "list_webhooks", { limit: 200 });
      const webhooks = (list.structured as { webhooks: { id: string; metadata?: Record<string, string> }[] }).webhooks;
      const crm = webhooks.find((webhook) => webhook.metadata?.name === "crm-sync");
      if (!crm) throw new Error("demo account has no crm-sync webhook");
      const fixed = await callTool(server.client, "sandbox_set_receiver", { webhookId: crm.id, behavior: "healthy" });
      expect(fixed.isError).toBe(false);
      expect(fixed.text).toMatch(
        /^\[sandbox: simulated data\] The receiver of webhook_\w+ \(crm-sync\) .* was crashing, now healthy/,
      );
      const emitted = await callTool(server.client, "sandbox_emit_event", {
        type: "webset.item.enriched",
        webhookId: crm.id,
      });
      const { eventId } = emitted.structured as { eventId: string };
      await expect
        .poll(async () => {
          const attempts = await callTool(server.client, "list_webhook_attempts", { webhookId: crm.id, limit: 10 });
          return (attempts.structured as { attempts: { eventId: string; successful: boolean }[] }).attempts.some(
            (attempt) => attempt.eventId === eventId && attempt.successful,
          );
        }, DELIVERY_POLL)
        .toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe("--sandbox lifecycle", () => {
  it("answers the handshake before the demo seed finishes, and exits when the client closes stdin", async () => {
    const child = spawn(process.execPath, [BIN_PATH, "--sandbox"], {
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.stdin.end(
      `${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } })}\n`,
    );
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const code = await Promise.race([
      exited,
      new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), START_AND_SEED_MS)),
    ]);
    if (code === "still running") child.kill("SIGKILL");
    expect(code).toBe(0);
    expect(stdout).toContain('"serverInfo"');
  });
});

describe("call", () => {
  it("prints the tool's text and exits 0", () => {
    const result = runBin(["call", "diagnose_failures", "--sandbox"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\[sandbox: simulated data\] 9 webhooks:/);
    expect(result.stdout).toContain("failing");
  });

  it("a demo webhook id copied from one run works in the next (the demo's ids are seeded)", () => {
    const first = runBin(["call", "list_webhooks", '{"limit":200}', "--sandbox"]);
    expect(first.status).toBe(0);
    const crmSync = /(webhook_[a-z0-9]+)[^\n]*crm-sync/.exec(first.stdout)?.[1];
    expect(crmSync).toBeDefined();
    const second = runBin(["call", "diagnose_failures", JSON.stringify({ webhookId: crmSync }), "--sandbox"]);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(crmSync);
    expect(second.stdout).toContain("failing");
    expect(second.stdout).not.toContain("No webhook");
  });

  it("exits 1 when the tool reports an error, with the error text", () => {
    const result = runBin(["call", "get_webhook", '{"webhookId":"webhook_nope"}', "--sandbox"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("No webhook webhook_nope. Call list_webhooks");
    const invalid = runBin(["call", "list_webhooks", '{"limit":500}', "--sandbox"]);
    expect(invalid.status).toBe(1);
    expect(invalid.stdout).toMatch(
      /^\[sandbox: simulated data\] Invalid input for list_webhooks: limit must be between 1 and 200/,
    );
    const noKey = runBin(["call", "list_webhooks"]);
    expect(noKey.status).toBe(1);
    expect(noKey.stdout).toContain("EXA_API_KEY is not set");
  });

  it("verify_webhook_signature works offline in the bundle (its crypto code loads on first use)", () => {
    const payload = '{"id":"event_1","object":"event"}';
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac("sha256", "whsec_test").update(`${t}.${payload}`).digest("hex");
    const result = runBin([
      "call",
      "verify_webhook_signature",
      JSON.stringify({ payload, signatureHeader: `t=${t},v1=${v1}`, secret: "whsec_test" }),
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Signature valid/);
    expect(result.stdout).not.toContain("whsec_test");
  });

  it.each([
    ["", []],
    [" with --sandbox, refused before the sandbox starts", ["--sandbox"]],
  ])("bad JSON arguments or an unknown tool are usage errors (exit 2)%s", (_, flags) => {
    const badJson = runBin(["call", "list_webhooks", "{nope", ...flags], NODE_DEBUG_NET);
    expect(badJson.status).toBe(2);
    expect(badJson.stderr).toContain("must be a JSON object");
    expect(badJson.stderr).not.toMatch(LISTENING);
    const unknown = runBin(["call", "no_such_tool", ...flags], NODE_DEBUG_NET);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('No tool "no_such_tool"');
    expect(unknown.stderr).not.toMatch(LISTENING);
  });

  it("a call with good arguments does start the sandbox (what the usage errors above never get to)", () => {
    const served = runBin(["call", "list_webhooks", '{"limit":1}', "--sandbox"], NODE_DEBUG_NET);
    expect(served.status).toBe(0);
    expect(served.stderr).toMatch(LISTENING);
  });
});

describe("emulator command", () => {
  it("prints its base URL first, answers 401 without a key and serves the demo account with one", async () => {
    const child = spawn(process.execPath, [BIN_PATH, "emulator", "--port", "0", "--seed", "demo"], {
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const firstLines = await new Promise<string[]>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`no output; got ${out}`)), START_AND_SEED_MS);
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const lines = out.split("\n");
          if (lines.length >= 3) {
            clearTimeout(timer);
            resolve(lines);
          }
        });
      });
      const baseUrl = firstLines[0] ?? "";
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(firstLines[1]).toContain(`new Exa(`);
      const anonymous = await fetch(`${baseUrl}/websets/v0/webhooks`);
      expect(anonymous.status).toBe(401);
      const listed = await fetch(`${baseUrl}/websets/v0/webhooks?limit=200`, { headers: { "x-api-key": "anything" } });
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as { data: unknown[] }).data).toHaveLength(9);
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.on("close", resolve));
    }
  });
});

describe("--http --sandbox", () => {
  it("prints the /mcp URL and serves the sandbox over Streamable HTTP", async () => {
    const { Client, StreamableHTTPClientTransport } = await import("@modelcontextprotocol/client");
    const child = spawn(process.execPath, [BIN_PATH, "--http", "--port", "0", "--sandbox"], {
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no URL printed")), START_AND_SEED_MS);
        child.stdout.on("data", (chunk: Buffer) => {
          const line = chunk.toString().split("\n")[0] ?? "";
          clearTimeout(timer);
          resolve(line.trim());
        });
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const client = new Client({ name: "http-e2e", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain("sandbox_emit_event");
      const answer = await callTool(client, "list_webhooks", {});
      expect(answer.text.startsWith("[sandbox: simulated data]")).toBe(true);
      await client.close();
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.on("close", resolve));
    }
  });
});
