// The demo receivers: each verifies Exa-Signature with its webhook's secret and logs what it accepted, and
// sandbox_set_receiver (through a real MCP client) fixes or breaks one, so a session can run
// diagnose → fix → replay → accepted. The replay here is signed by the test's own HMAC code.
import { createHmac } from "node:crypto";
import { SANDBOX_DELIVERY_TIMEOUT_MS } from "../../src/sandbox/delivery/schedule.js";
import type { LaunchedSandbox } from "../../src/sandbox/launch.js";
import { RECEIVER_BEHAVIORS } from "../../src/sandbox/receivers/catalog.js";
import { startSandboxReceiver } from "../../src/sandbox/receivers/receiver.js";
import { describe, expect, sandboxTest } from "../helpers/fixtures.js";
import { startHarness } from "../helpers/harness.js";

const it = sandboxTest({ seed: "demo", retryDelaysMs: [20, 20, 20, 20] });

function demoWebhook(sandbox: LaunchedSandbox, name: string) {
  const webhook = sandbox.emulator.store.listWebhooks().find((candidate) => candidate.metadata?.name === name);
  if (!webhook) throw new Error(`no demo webhook ${name}`);
  return webhook;
}

/** POSTs an event the way a redelivery does: signed with `secret`, marked Exa-Redelivery: 1. */
async function replay(sandbox: LaunchedSandbox, url: string, eventId: string, secret: string): Promise<number> {
  const event = sandbox.emulator.store.getEvent(eventId);
  const body = JSON.stringify(event);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "exa-signature": `t=${t},v1=${v1}`, "exa-redelivery": "1" },
    body,
    redirect: "manual",
  });
  await response.arrayBuffer();
  return response.status;
}

function undeliveredEventIds(sandbox: LaunchedSandbox, webhookId: string): string[] {
  const attempts = sandbox.emulator.store.listAttempts(webhookId);
  const delivered = new Set(attempts.filter((a) => a.successful).map((a) => a.eventId));
  return [...new Set(attempts.map((a) => a.eventId))].filter((id) => !delivered.has(id));
}

describe("demo receivers", () => {
  it("verified every seeded POST with the webhook's secret and logged what they accepted", async ({ sandbox }) => {
    const healthy = demoWebhook(sandbox, "production-ingest");
    const log = (await sandbox.handle.receiverLog(healthy.id)) ?? [];
    expect(log.length).toBe(sandbox.emulator.store.listAttempts(healthy.id).length);
    expect(log.every((entry) => entry.signatureValid && !entry.redelivery)).toBe(true);
    // Every delivery Exa recorded as successful was accepted (a loaded machine may time out a few more).
    const accepted = new Set(log.filter((entry) => entry.accepted).map((entry) => entry.eventId));
    const delivered = sandbox.emulator.store.listAttempts(healthy.id).filter((a) => a.successful);
    expect(delivered.length).toBeGreaterThan(0);
    for (const attempt of delivered) expect(accepted).toContain(attempt.eventId);
    const crashing = (await sandbox.handle.receiverLog(demoWebhook(sandbox, "crm-sync").id)) ?? [];
    expect(crashing.length).toBeGreaterThan(0);
    expect(crashing.every((entry) => entry.signatureValid && !entry.accepted && entry.statusCode === 500)).toBe(true);
  });

  it("exposes every sandbox webhook's secret to in-process code, never in tool output", async ({
    launched: { sandbox, harness },
  }) => {
    const secrets = await sandbox.handle.webhookSecrets();
    const webhooks = sandbox.emulator.store.listWebhooks();
    expect(Object.keys(secrets).sort()).toEqual(webhooks.map((webhook) => webhook.id).sort());
    const crm = demoWebhook(sandbox, "crm-sync");
    expect(await sandbox.handle.webhookSecret(crm.id)).toBe(secrets[crm.id]);
    expect(secrets[crm.id]).toMatch(/^whsec_[0-9a-f]{32}$/);
    expect(await sandbox.handle.webhookSecret("webhook_nope")).toBeUndefined();
    const answer = await harness.call("sandbox_set_receiver", { webhookId: crm.id, behavior: "crashing" });
    expect(answer.isError).toBe(false);
    expect(JSON.stringify(answer.raw)).not.toContain(secrets[crm.id]);
  });

  it("fixing a crashing receiver makes replays of its undelivered events accepted", async ({
    launched: { sandbox, harness },
  }) => {
    const crm = demoWebhook(sandbox, "crm-sync");
    const secret = (await sandbox.handle.webhookSecret(crm.id)) as string;
    const missed = undeliveredEventIds(sandbox, crm.id);
    expect(missed.length).toBeGreaterThan(0);
    expect(await replay(sandbox, crm.url, missed[0] as string, secret)).toBe(500);

    const fixed = await harness.call("sandbox_set_receiver", { webhookId: crm.id, behavior: "healthy" });
    expect(fixed.isError).toBe(false);
    expect(fixed.structured).toEqual({ webhookId: crm.id, url: crm.url, behavior: "healthy", previous: "crashing" });
    expect(fixed.text).toContain(`The receiver of ${crm.id} (crm-sync) at ${crm.url} was crashing, now healthy`);
    expect(fixed.text).toContain(`redeliver_events {"webhookId":"${crm.id}","undelivered":true}`);

    for (const eventId of missed) expect(await replay(sandbox, crm.url, eventId, secret)).toBe(200);
    expect(await replay(sandbox, crm.url, missed[0] as string, "whsec_wrong")).toBe(401);
    const log = (await sandbox.handle.receiverLog(crm.id)) ?? [];
    const replays = log.filter((entry) => entry.redelivery);
    expect(replays.filter((entry) => entry.accepted).map((entry) => entry.eventId)).toEqual(missed);
    expect(replays.at(-1)).toMatchObject({ signatureValid: false, accepted: false, statusCode: 401 });

    // New deliveries from the sandbox succeed too.
    const { eventId } = await sandbox.handle.emitEvent({ type: "webset.item.enriched", webhookId: crm.id });
    await sandbox.engine.idle();
    const attempt = sandbox.emulator.store.listAttempts(crm.id).find((a) => a.eventId === eventId);
    expect(attempt).toMatchObject({ successful: true, responseStatusCode: 200, attempt: 1 });
  });

  it("a wrong_secret receiver accepts once fixed, with the webhook's real secret", async ({
    launched: { sandbox, harness },
  }) => {
    const billing = demoWebhook(sandbox, "billing-usage");
    const secret = (await sandbox.handle.webhookSecret(billing.id)) as string;
    const [missed] = undeliveredEventIds(sandbox, billing.id);
    expect(await replay(sandbox, billing.url, missed as string, secret)).toBe(401);
    await harness.call("sandbox_set_receiver", { webhookId: billing.id, behavior: "healthy" });
    expect(await replay(sandbox, billing.url, missed as string, secret)).toBe(200);
  });

  it("the inactive webhook's receiver comes back on the same port, and the webhook stays inactive", async ({
    launched: { sandbox, harness },
  }) => {
    const tunnel = demoWebhook(sandbox, "local-dev-tunnel");
    expect(tunnel.status).toBe("inactive");
    const secret = (await sandbox.handle.webhookSecret(tunnel.id)) as string;
    const [eventId] = sandbox.emulator.store.listEvents().map((event) => event.id);
    await expect(replay(sandbox, tunnel.url, eventId as string, secret)).rejects.toThrow();

    const fixed = await harness.call("sandbox_set_receiver", { webhookId: tunnel.id, behavior: "healthy" });
    expect(fixed.text).toContain("was down, now healthy");
    expect(fixed.text).toContain(`${tunnel.id} stays inactive`);
    expect(await replay(sandbox, tunnel.url, eventId as string, secret)).toBe(200);
    expect(sandbox.emulator.store.getWebhook(tunnel.id)?.status).toBe("inactive");

    const down = await harness.call("sandbox_set_receiver", { webhookId: tunnel.id, behavior: "down" });
    expect(down.structured).toMatchObject({ behavior: "down", previous: "healthy" });
    await expect(replay(sandbox, tunnel.url, eventId as string, secret)).rejects.toThrow();
  });

  it("breaking a healthy receiver shows up in the next delivery", async ({ launched: { sandbox, harness } }) => {
    const ingest = demoWebhook(sandbox, "production-ingest");
    const answer = await harness.call("sandbox_set_receiver", { webhookId: ingest.id, behavior: "missing_route" });
    expect(answer.text).toContain(`list_webhook_attempts {"webhookId":"${ingest.id}"}`);
    const { eventId } = await sandbox.handle.emitEvent({ type: "webset.idle", webhookId: ingest.id });
    await sandbox.engine.idle();
    const attempts = sandbox.emulator.store.listAttempts(ingest.id).filter((a) => a.eventId === eventId);
    expect(attempts.map((a) => a.responseStatusCode)).toEqual([404, 404, 404, 404, 404]);
    await harness.call("sandbox_set_receiver", { webhookId: ingest.id, behavior: "healthy" });
  });

  it("refuses unknown webhooks, webhooks without a demo receiver, and unknown behaviours", async ({
    launched: { sandbox, harness },
  }) => {
    const unknown = await harness.call("sandbox_set_receiver", { webhookId: "webhook_nope", behavior: "healthy" });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain("No webhook webhook_nope in the sandbox. Call list_webhooks to see ids.");

    const own = sandbox.emulator.store.createWebhook({ url: "http://127.0.0.1:9/hooks", events: ["webset.created"] });
    const notDemo = await harness.call("sandbox_set_receiver", { webhookId: own.id, behavior: "healthy" });
    expect(notDemo.isError).toBe(true);
    expect(notDemo.text).toContain(`Webhook ${own.id} points at http://127.0.0.1:9/hooks, not at a sandbox receiver`);
    expect(await sandbox.handle.receiverLog(own.id)).toBeUndefined();

    const badBehavior = await harness.call("sandbox_set_receiver", { webhookId: own.id, behavior: "fixed" });
    expect(badBehavior.isError).toBe(true);
    expect(badBehavior.text).toMatch(/behavior/);
    const extra = await harness.call("sandbox_set_receiver", { webhookId: own.id, behavior: "healthy", port: 1 });
    expect(extra.isError).toBe(true);
  });

  it("the control endpoint sets a receiver too", async ({ sandbox }) => {
    const marketing = demoWebhook(sandbox, "marketing-site");
    const post = (body: unknown) =>
      fetch(`${sandbox.emulator.baseUrl}/_sandbox/receivers`, {
        method: "POST",
        headers: { "x-api-key": "k", "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const response = await post({ webhookId: marketing.id, behavior: "healthy" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ webhookId: marketing.id, behavior: "healthy", previous: "redirect" });
    const bad = await post({ webhookId: marketing.id, behavior: "fixed" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain("use one of: healthy, flaky");
    expect((await post({ webhookId: "webhook_nope", behavior: "healthy" })).status).toBe(404);
  });
});

// One record per behaviour: the words a user reads are built from the numbers the receiver acts on.
describe("receiver behaviours' numbers and words", () => {
  it("a flaky receiver answers 503 to exactly the requests its description names", async () => {
    const { proxyFailsEvery, description } = RECEIVER_BEHAVIORS.flaky;
    expect(description).toContain(`every ${proxyFailsEvery}th request`);
    const flaky = await startSandboxReceiver({ behavior: "flaky" });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < proxyFailsEvery * 2; i++) {
        const response = await fetch(flaky.url, { method: "POST", body: "{}" });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      const failed = statuses.flatMap((status, i) => (status === 503 ? [i + 1] : []));
      expect(failed).toEqual([proxyFailsEvery, proxyFailsEvery * 2]);
    } finally {
      await flaky.close();
    }
  });

  it("a slow receiver's description names its delay and the delivery timeout it outlasts", () => {
    const { answerAfterMs, description } = RECEIVER_BEHAVIORS.slow;
    expect(answerAfterMs).toBeGreaterThan(SANDBOX_DELIVERY_TIMEOUT_MS);
    expect(description).toBe(
      `answers after ${answerAfterMs / 1000} s, past the ${SANDBOX_DELIVERY_TIMEOUT_MS / 1000} s timeout`,
    );
  });

  it("sandbox_set_receiver's input lists every behaviour with its outcome", async ({ launched: { harness } }) => {
    const { tools } = await harness.client.listTools();
    const tool = tools.find((candidate) => candidate.name === "sandbox_set_receiver");
    const properties = tool?.inputSchema.properties as Record<string, { description?: string }> | undefined;
    const behavior = properties?.behavior;
    expect(behavior?.description).toContain(`flaky 503 every ${RECEIVER_BEHAVIORS.flaky.proxyFailsEvery}th`);
    for (const name of Object.keys(RECEIVER_BEHAVIORS)) expect(behavior?.description).toContain(name);
  });
});

describe("sandbox_set_receiver in the tool list", () => {
  it("is offered only in the sandbox and hidden by --read-only", async ({ sandbox }) => {
    const names = async (flags: { sandbox?: boolean; readOnly?: boolean }) => {
      const own = await startHarness({ emulator: sandbox.emulator, flags, dependencies: { sandbox: sandbox.handle } });
      try {
        return (await own.client.listTools()).tools.map((tool) => tool.name);
      } finally {
        await own.close();
      }
    };
    expect(await names({ sandbox: true })).toContain("sandbox_set_receiver");
    expect(await names({ sandbox: true, readOnly: true })).not.toContain("sandbox_set_receiver");
    expect(await names({})).not.toContain("sandbox_set_receiver");
  });
});
