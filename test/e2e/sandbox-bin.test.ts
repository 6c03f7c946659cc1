// The sandbox through the built bin: --sandbox over stdio, `call` for terminals and scripts, and the
// standalone emulator command. Each --sandbox process seeds its own demo account (a second or more): the tests
// that only read share one, the ones that change it start their own.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { type AddressInfo, createServer } from "node:net";
import { EVENT_TYPES } from "../../src/exa/event-types.js";
import type { createWebhookTool } from "../../src/tools/create-webhook.js";
import type { diagnoseFailuresTool } from "../../src/tools/diagnose-failures.js";
import type { listWebhookAttemptsTool } from "../../src/tools/list-webhook-attempts.js";
import type { listWebhooksTool } from "../../src/tools/list-webhooks.js";
import type { sandboxEmitEventTool } from "../../src/tools/sandbox-emit-event.js";
import { builtServerTest, describe, expect } from "../helpers/fixtures.js";
import {
  BIN_PATH,
  builtBin,
  type ClientSession,
  connectClient,
  type OutputOf,
  runBin,
  spawnBuiltServer,
  startBin,
} from "../helpers/harness.js";
import { within } from "../helpers/wait.js";
import { exaEventCheck } from "../sandbox/exa-js-types.js";

/**
 * A runtime delivery in the child ends within its 10 s timeout, but how soon depends on the machine's load:
 * wait for the attempt as long as the test may run (vitest's default for expect.poll is 1 s).
 */
const DELIVERY_POLL = { timeout: 25_000, interval: 100 };
/**
 * A child that starts and seeds the demo (about 1.3 s of CPU when idle) gets a fifth of a core at load 10:
 * this wait only stops a hung child before the 30 s test timeout, so it is that long, minus a margin.
 */
const START_AND_SEED_MS = 25_000;
/** Node then logs each server it starts listening on stderr: the sandbox's emulator and its demo receivers. */
const NODE_DEBUG_NET = { NODE_DEBUG: "net" };
const LISTENING = /^NET \d+: setupListenHandle/m;

/** The demo webhook named `name`, through list_webhooks. */
async function demoWebhook(server: ClientSession, name: string): Promise<{ id: string }> {
  const list = await server.call("list_webhooks", { limit: 200 });
  const webhooks = (list.structured as OutputOf<typeof listWebhooksTool>).webhooks;
  const found = webhooks.find((webhook) => webhook.metadata?.name === name);
  if (!found) throw new Error(`demo account has no ${name} webhook`);
  return found;
}

/** Waits until list_webhook_attempts shows an attempt at `eventId` (a successful one, when asked). */
async function untilAttempted(server: ClientSession, webhookId: string, eventId: string, successful?: true) {
  await expect
    .poll(async () => {
      const attempts = await server.call("list_webhook_attempts", { webhookId, limit: 10 });
      return (attempts.structured as OutputOf<typeof listWebhookAttemptsTool>).attempts.some(
        (attempt) => attempt.eventId === eventId && (successful === undefined || attempt.successful),
      );
    }, DELIVERY_POLL)
    .toBe(true);
}

/** One --sandbox process for the tests that only read the demo account. */
const it = builtServerTest(["--sandbox"]);

describe("--sandbox over stdio, reading the demo account", () => {
  it("needs no key, says it is the sandbox, and offers sandbox_emit_event", async ({ server: demo }) => {
    expect(demo.client.getInstructions()).toMatch(/SANDBOX mode/);
    const { tools } = await demo.client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("sandbox_emit_event");
  });

  it("marks every text as simulated", async ({ server: demo }) => {
    const list = await demo.call("list_webhooks", {});
    expect(list.isError).toBe(false);
    expect(list.text.startsWith("[sandbox: simulated data]")).toBe(true);
  });

  it("diagnoses every verdict and failure category", async ({ server: demo }) => {
    const diagnosis = await demo.call("diagnose_failures", {});
    const report = diagnosis.structured as OutputOf<typeof diagnoseFailuresTool>;
    const verdicts = new Set(report.webhooks.map((webhook) => webhook.verdict));
    for (const verdict of ["healthy", "failing", "inactive"]) expect(verdicts).toContain(verdict);
    const categories = new Set(report.webhooks.flatMap((webhook) => webhook.groups.map((group) => group.category)));
    for (const category of ["unreachable", "timeout", "auth_rejected", "not_found", "redirect", "server_error"]) {
      expect(categories).toContain(category);
    }
  });

  it("marks an error as simulated too", async ({ server: demo }) => {
    const missing = await demo.call("get_webhook", { webhookId: "webhook_nope" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/^\[sandbox: simulated data\] No webhook webhook_nope/);
  });
});

describe("--sandbox over stdio, changing the demo account (a sandbox each)", () => {
  it("sandbox_emit_event delivers to a webhook and the attempt shows up", async () => {
    const server = await spawnBuiltServer(["--sandbox"]);
    try {
      const list = await server.call("list_webhooks", { limit: 200 });
      const webhooks = (list.structured as OutputOf<typeof listWebhooksTool>).webhooks;
      const target = webhooks.find(
        (webhook) => webhook.status === "active" && webhook.events.includes("webset.item.created"),
      );
      if (!target) throw new Error("demo account has no active webhook for webset.item.created");
      const emitted = await server.call("sandbox_emit_event", {
        type: "webset.item.created",
        webhookId: target.id,
      });
      expect(emitted.isError).toBe(false);
      const { eventId } = emitted.structured as OutputOf<typeof sandboxEmitEventTool>;
      await untilAttempted(server, target.id, eventId);
    } finally {
      await server.close();
    }
  });

  it("sandbox_set_receiver fixes the crashing demo receiver, and the next delivery to it succeeds", async () => {
    const server = await spawnBuiltServer(["--sandbox"]);
    try {
      const crm = await demoWebhook(server, "crm-sync");
      const fixed = await server.call("sandbox_set_receiver", { webhookId: crm.id, behavior: "healthy" });
      expect(fixed.isError).toBe(false);
      expect(fixed.text).toMatch(
        /^\[sandbox: simulated data\] The receiver of webhook_\w+ \(crm-sync\) .* was crashing, now healthy/,
      );
      const emitted = await server.call("sandbox_emit_event", {
        type: "webset.item.enriched",
        webhookId: crm.id,
      });
      const { eventId } = emitted.structured as OutputOf<typeof sandboxEmitEventTool>;
      await untilAttempted(server, crm.id, eventId, true);
    } finally {
      await server.close();
    }
  });
});

describe("--sandbox retries, in diagnose_failures' words", () => {
  // It said "Exa may still be retrying" for an hour, long after the sandbox's own five attempts were over.
  it("names the sandbox's known schedule, not Exa's unknown one", async () => {
    const server = await spawnBuiltServer(["--sandbox"]);
    try {
      const crm = await demoWebhook(server, "crm-sync");
      const emitted = await server.call("sandbox_emit_event", { type: "webset.item.enriched", webhookId: crm.id });
      const { eventId } = emitted.structured as OutputOf<typeof sandboxEmitEventTool>;
      await untilAttempted(server, crm.id, eventId);
      const diagnosis = await server.call("diagnose_failures", { webhookId: crm.id });
      expect(diagnosis.text).toContain(
        "newer than 18 s: the sandbox may still retry them (5 attempts in all, 1, 2, 4, 8 s apart)",
      );
      expect(diagnosis.text).not.toContain("Exa may still be retrying");
    } finally {
      await server.close();
    }
  });
});

describe("--sandbox ids: only the seeded demo history repeats across runs", () => {
  // A receiver that dedupes by event id (as the hints advise) dropped every event of a second session: webhooks
  // created and events emitted after the seed drew from the demo's seeded source and repeated run after run.
  it("gives a created webhook, its secret and an emitted event fresh ids in each fresh sandbox", async () => {
    const session = async () => {
      const server = await spawnBuiltServer(["--sandbox"]);
      try {
        const created = await server.call("create_webhook", {
          url: "http://127.0.0.1:9/webhooks/exa",
          events: ["webset.created"],
        });
        expect(created.isError).toBe(false);
        const { id, secret } = (created.structured as OutputOf<typeof createWebhookTool>).webhook;
        const emitted = await server.call("sandbox_emit_event", { type: "webset.created", webhookId: id });
        expect(emitted.isError).toBe(false);
        const { eventId } = emitted.structured as OutputOf<typeof sandboxEmitEventTool>;
        const list = await server.call("list_webhooks", { limit: 200 });
        const demo = (list.structured as OutputOf<typeof listWebhooksTool>).webhooks
          .filter((webhook) => webhook.id !== id)
          .map((webhook) => [webhook.metadata?.name, webhook.id]);
        return { id, secret, eventId, demo };
      } finally {
        await server.close();
      }
    };
    const [first, second] = [await session(), await session()];
    expect(second.demo).toEqual(first.demo);
    expect(first.demo).toHaveLength(9);
    expect(second.id).not.toBe(first.id);
    expect(second.secret).not.toBe(first.secret);
    expect(second.eventId).not.toBe(first.eventId);
    expect(first.secret).toMatch(/^whsec_[0-9a-f]{32}$/);
  });
});

describe("--sandbox lifecycle", () => {
  it("answers the handshake before the demo seed finishes, and exits when the client closes stdin", async () => {
    const child = spawn(process.execPath, [BIN_PATH, "--sandbox"], {
      env: { PATH: process.env.PATH ?? "", XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "" },
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
    try {
      expect(await within(exited, START_AND_SEED_MS, () => "the server did not exit once stdin closed")).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
    expect(stdout).toContain('"serverInfo"');
  });
});

describe("call", () => {
  it("prints the tool's text and exits 0", () => {
    const result = runBin(["call", "diagnose_failures", "--sandbox"], NODE_DEBUG_NET);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\[sandbox: simulated data\] 9 webhooks:/);
    expect(result.stdout).toContain("failing");
    // The sandbox started, and the net log shows it: what the usage errors below must not get to.
    expect(result.stderr).toMatch(LISTENING);
    // The hints hold curls to demo receivers that died with the call: say so, and give a command that keeps them.
    expect(result.stderr).toContain("this sandbox and its receivers stopped with this call");
    expect(result.stderr).toContain(`node ${BIN_PATH} --sandbox --http`);
  });

  it("verify_webhook_signature with --sandbox carries no sandbox marker: it checks offline, touching no sandbox data", () => {
    const payload = '{"id":"event_1","object":"event"}';
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac("sha256", "whsec_test").update(`${t}.${payload}`).digest("hex");
    const args = JSON.stringify({ payload, signatureHeader: `t=${t},v1=${v1}`, secret: "whsec_test" });
    const result = runBin(["call", "verify_webhook_signature", args, "--sandbox"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Signature valid/);
    const wrong = runBin(["call", "verify_webhook_signature", JSON.stringify({ payload }), "--sandbox"]);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).not.toContain("[sandbox: simulated data]");
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

  // Refused before anything starts: no server listens (the first test here shows the log when one does).
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
});

describe("emulator command", () => {
  // Seeding the demo and loading exa-js's types into the TypeScript checker each take seconds on a loaded machine.
  it("prints its base URL first, answers 401 without a key and serves the demo account with one", {
    timeout: 60_000,
  }, async () => {
    const emulator = await startBin(builtBin(["emulator", "--port", "0", "--seed", "demo"]), { lines: 2 });
    try {
      const firstLines = emulator.stdout().split("\n");
      const baseUrl = emulator.url;
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(firstLines[1]).toContain(`new Exa(`);
      const anonymous = await fetch(`${baseUrl}/websets/v0/webhooks`);
      expect(anonymous.status).toBe(401);
      const listed = await fetch(`${baseUrl}/websets/v0/webhooks?limit=200`, { headers: { "x-api-key": "anything" } });
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as { data: unknown[] }).data).toHaveLength(9);

      // Every event it serves, seeded or emitted (one of each type), has the shape of exa-js's Event.
      const key = { "x-api-key": "anything", "content-type": "application/json" };
      for (const type of EVENT_TYPES) {
        const emitted = await fetch(`${baseUrl}/_sandbox/events`, {
          method: "POST",
          headers: key,
          body: JSON.stringify({ type }),
        });
        expect(emitted.status).toBe(200);
      }
      const served: { id: string; type: string }[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
        const page = await fetch(`${baseUrl}/websets/v0/events?limit=200${query}`, { headers: key });
        const body = (await page.json()) as { data: { id: string; type: string }[]; nextCursor: string | null };
        served.push(...body.data);
        cursor = body.nextCursor;
      } while (cursor);
      expect(new Set(served.map((event) => event.type))).toEqual(new Set(EVENT_TYPES));
      const { eventProblems } = exaEventCheck();
      expect(served.flatMap((event) => eventProblems(event).map((problem) => `${event.type} ${problem}`))).toEqual([]);
    } finally {
      await emulator.stop();
    }
  });
});

describe("--http --sandbox", () => {
  it("prints the /mcp URL and serves the sandbox over Streamable HTTP", async () => {
    const served = await startBin(builtBin(["--http", "--port", "0", "--sandbox"]));
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const session = await connectClient({ transport: { kind: "http", url: served.url } });
      const names = (await session.client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain("sandbox_emit_event");
      const answer = await session.call("list_webhooks", {});
      expect(answer.text.startsWith("[sandbox: simulated data]")).toBe(true);
      await session.close();
    } finally {
      await served.stop();
    }
  });

  // The sandbox's emulator and demo receivers were already listening when the port turned out to be taken:
  // the error was printed and the process then lived on with nothing to serve.
  it("exits 1 with the error when its port is in use, as without --sandbox", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      for (const flags of [[], ["--sandbox"]]) {
        const child = spawn(process.execPath, [BIN_PATH, "--http", "--port", String(port), ...flags], {
          env: { PATH: process.env.PATH ?? "", XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "" },
          stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
        try {
          const code = await within(exited, START_AND_SEED_MS, () => `${flags.join(" ")} did not exit: ${stderr}`);
          expect(code).toBe(1);
        } finally {
          child.kill("SIGKILL");
        }
        expect(stderr).toContain("EADDRINUSE");
      }
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});
