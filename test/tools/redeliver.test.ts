// redeliver_events end to end in memory: a real MCP client, the emulator as Exa, and a receiver on
// 127.0.0.1 that checks Exa-Signature with its own HMAC code. A tripwire on fetch refuses (and records)
// any request to a non-loopback address, so a refusal test can never send traffic off the machine.
import type { RedeliveryOutput } from "../../src/redeliver/schema.js";
import type { diagnoseFailuresTool } from "../../src/tools/diagnose-failures.js";
import { PROGRESS_ANSWER_GAP_MS } from "../../src/tools/progress.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import { type Harness, type OutputOf, startHarness } from "../helpers/harness.js";
import { startReceiver } from "../helpers/receiver.js";
import { seedUndelivered } from "../helpers/seed.js";
import { quietFor, UNTIL_TEST_TIMEOUT } from "../helpers/wait.js";
import { recordInbound } from "../helpers/wire.js";

const SECRET = "whsec_redeliver_test_4b7e19c2d8a05f";
const WEBHOOK_ID = "webhook_redeliver_test";
const TYPES = ["webset.item.created", "webset.item.enriched"];
const DAY = 86_400_000;

type Output = RedeliveryOutput;

const realFetch = globalThis.fetch;

const it = test
  .override("receiverSecret", SECRET)
  /** Refuses (and records) any request to a non-loopback address, for the whole file. */
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
  .extend("outbound", { scope: "file", auto: true }, async ({}, { onCleanup }) => {
    const outbound: string[] = [];
    globalThis.fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(url.hostname)) {
        outbound.push(url.href);
        return Promise.reject(new Error(`tripwire: a test tried to reach ${url.origin}`));
      }
      return realFetch(input, init);
    };
    onCleanup(() => {
      globalThis.fetch = realFetch;
    });
    return outbound;
  })
  /** After each test, once its harness, receiver and emulator are closed: nothing tried to leave the machine. */
  .extend("nothingLeft", { auto: true }, async ({ outbound }, { onCleanup }) => {
    onCleanup(() => {
      expect(outbound).toEqual([]);
    });
  })
  /** The harness the test started (with start, or its own), closed after the test. */
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
  .extend("session", async ({}, { onCleanup }) => {
    const session: { harness?: Harness } = {};
    onCleanup(async () => {
      await session.harness?.close();
    });
    return session;
  })
  /** Creates the webhook (on the test's receiver unless `webhookUrl`) and a harness with its secret in EXA_WEBHOOK_SECRETS. */
  .extend(
    "start",
    ({ emulator, receiver, session }) =>
      async (
        options: { env?: Record<string, string>; webhookUrl?: string; sandbox?: boolean; createdAgoMs?: number } = {},
      ) => {
        emulator.store.createWebhook({
          id: WEBHOOK_ID,
          secret: SECRET,
          url: options.webhookUrl ?? receiver.url,
          events: TYPES,
          ...(options.createdAgoMs === undefined ? {} : { createdAt: Date.now() - options.createdAgoMs }),
        });
        session.harness = await startHarness({
          emulator,
          env: { EXA_WEBHOOK_SECRETS: `${WEBHOOK_ID}=${SECRET}`, ...options.env },
          ...(options.sandbox ? { flags: { sandbox: true } } : {}),
        });
        return session.harness;
      },
  )
  /** `count` events, each with one failed attempt; returns their ids, newest first. */
  .extend(
    "seedUndelivered",
    ({ emulator }) =>
      (count: number, options: { type?: string; ageMs?: number } = {}) =>
        seedUndelivered(emulator.store, {
          webhookId: WEBHOOK_ID,
          count,
          types: options.type ? [options.type] : TYPES,
          ...(options.ageMs === undefined ? {} : { ageMs: options.ageMs }),
        }).reverse(),
  )
  .extend("redeliver", ({ session }) => async (args: Record<string, unknown>) => {
    const answer = await (session.harness as Harness).call("redeliver_events", { webhookId: WEBHOOK_ID, ...args });
    return { ...answer, output: answer.structured as Output };
  })
  .extend(
    "eventFetches",
    ({ emulator }) =>
      () =>
        emulator.requests.filter((request) => request.path.includes("/events/")).length,
  );

describe("redeliver_events dry run (the default)", () => {
  it("finds the undelivered events, shows the plan and the headers, and sends nothing", async ({
    emulator,
    receiver,
    start,
    seedUndelivered,
    redeliver,
  }) => {
    await start();
    const ids = seedUndelivered(3);
    // A delivered event is not part of the plan.
    const delivered = emulator.store.addEvent({ type: "webset.item.created" });
    emulator.store.addAttempt({
      webhookId: WEBHOOK_ID,
      eventId: delivered.id,
      successful: true,
      responseStatusCode: 200,
    });

    const { output, text, isError } = await redeliver({ undelivered: true });
    expect(isError, text).toBe(false);
    expect(Object.keys(output)).toEqual(
      expect.arrayContaining(["webhookId", "targetUrl", "dryRun", "planned", "delivered", "failed", "skipped"]),
    );
    expect(output).toMatchObject({
      webhookId: WEBHOOK_ID,
      targetUrl: receiver.url,
      dryRun: true,
      delivered: 0,
      failed: 0,
      skipped: 0,
    });
    expect(output.results).toBeUndefined();
    expect(output.planned.map((event) => event.eventId)).toEqual(ids);
    for (const event of output.planned) {
      expect(event).toMatchObject({ expired: false, subscribed: true });
      expect(TYPES).toContain(event.type);
      expect(event.createdAt).toMatch(/^\d{4}-/);
    }
    expect(output.headers).toMatchObject({ "content-type": "application/json", "Exa-Redelivery": "1" });
    expect(output.headers["Exa-Signature"]).toMatch(/^t=<unix seconds at send>,v1=<hex HMAC-SHA256/);
    expect(text).toContain("Signed with the secret from EXA_WEBHOOK_SECRETS.");
    expect(receiver.received).toEqual([]);

    expect(text).toMatch(
      /^Dry run, nothing sent: 3 events of webhook webhook_redeliver_test would be POSTed to http:\/\/127\.0\.0\.1:\d+\/webhooks\/exa\./,
    );
    expect(text).toContain("Exa-Signature: t=<unix seconds at send>");
    expect(text).toContain("Receivers should deduplicate by event id");
    expect(text).toContain(
      'To send: redeliver_events {"webhookId":"webhook_redeliver_test","undelivered":true,"dryRun":false}',
    );
  });

  it("takes the never-attempted events of the same diagnosis too, and sends each once", async ({
    emulator,
    receiver,
    start,
    seedUndelivered,
    redeliver,
  }) => {
    const harness = await start({ createdAgoMs: 10 * 3_600_000 });
    const undelivered = seedUndelivered(2, { ageMs: 5 * 3_600_000 });
    const never = [1, 2].map(
      (hours) => emulator.store.addEvent({ type: TYPES[0] as string, createdAt: Date.now() - hours * 3_600_000 }).id,
    );
    emulator.store.addEvent({ type: "import.created", createdAt: Date.now() - 3_600_000 });
    const diagnosis = await harness.call("diagnose_failures", { webhookId: WEBHOOK_ID });
    const attemptPages = () => emulator.requests.filter((request) => request.path.endsWith("/attempts")).length;
    const before = attemptPages();

    const plan = await redeliver({ undelivered: true });
    expect(plan.output.planned.map((event) => event.eventId)).toEqual([...undelivered, ...never]);
    expect(plan.text).toContain("2 undelivered (failed attempts, none successful) and 2 never attempted");
    expect(plan.text).not.toContain("not included");
    // One diagnosis engine: the same scan as diagnose_failures, no second walk of its own.
    expect(attemptPages() - before).toBe(2);
    expect((diagnosis.structured as OutputOf<typeof diagnoseFailuresTool>).webhooks[0]?.missedEvents).toEqual({
      undelivered,
      neverAttempted: never,
      truncated: false,
      // The ledger's fold (issue 20): nothing redelivered yet, all four outstanding.
      recovered: [],
      outstanding: 4,
    });

    const sent = await redeliver({ undelivered: true, dryRun: false });
    expect(sent.output.delivered).toBe(4);
    expect(receiver.received.map((delivery) => delivery.eventId).sort()).toEqual([...undelivered, ...never].sort());
  });

  it("without a secret, says how to give one; a real run then refuses and sends nothing", async ({
    receiver,
    start,
    seedUndelivered,
    redeliver,
  }) => {
    await start({ env: { EXA_WEBHOOK_SECRETS: "" } });
    const ids = seedUndelivered(2);
    const plan = await redeliver({ eventIds: ids });
    expect(plan.isError).toBe(false);
    expect(plan.text).toContain(
      'Give it as "secret" in the call, or set EXA_WEBHOOK_SECRETS=webhook_redeliver_test=<secret>',
    );
    expect(plan.text).not.toContain("To send:");

    const refused = await redeliver({ eventIds: ids, dryRun: false });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/no signing secret for webhook webhook_redeliver_test, so nothing was sent/);
    expect(refused.text).toContain("EXA_WEBHOOK_SECRETS=webhook_redeliver_test=<secret>");
    expect(receiver.received).toEqual([]);
  });
});

describe("redeliver_events sends", () => {
  it("POSTs each event's raw JSON, signed so an independent verifier accepts it, marked as a replay", async ({
    emulator,
    receiver,
    start,
    seedUndelivered,
    redeliver,
  }) => {
    await start();
    const ids = seedUndelivered(3);
    const { output, text, isError } = await redeliver({ eventIds: ids, dryRun: false });
    expect(isError, text).toBe(false);
    expect(output).toMatchObject({ dryRun: false, delivered: 3, failed: 0, skipped: 0, notSent: [], complete: true });
    expect(output.results?.map((result) => result.eventId).sort()).toEqual([...ids].sort());
    for (const result of output.results ?? [])
      expect(result).toMatchObject({ statusCode: 200, ok: true, category: null });

    expect(receiver.received).toHaveLength(3);
    for (const request of receiver.received) {
      expect(request.signatureValid).toBe(true);
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["exa-redelivery"]).toBe("1");
      // Byte for byte what Exa's GET /v0/events/{id} returns.
      const exa = await realFetch(`${emulator.baseUrl}/websets/v0/events/${request.eventId}`, {
        headers: { "x-api-key": "k" },
      });
      expect(request.raw.equals(Buffer.from(await exa.arrayBuffer()))).toBe(true);
    }
    expect(text).toMatch(
      /^Redelivered 3 events of webhook webhook_redeliver_test to http:\/\/127\.0\.0\.1:\d+\/webhooks\/exa: 3 delivered, 0 failed\./,
    );
    expect(text).toContain("Receivers should deduplicate by event id");
  });

  it('accepts what models send as strings: "false", "true", "2"', async ({ start, seedUndelivered, redeliver }) => {
    await start();
    seedUndelivered(3);
    const { output, isError, text } = await redeliver({ undelivered: "true", dryRun: "false", maxEvents: "2" });
    expect(isError, text).toBe(false);
    expect(output.results).toHaveLength(2);
    const refused = await redeliver({ undelivered: "yes" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/undelivered/);
  });

  it("a wrong secret: the receiver's 401 is reported with the verify_webhook_signature hint", async ({
    start,
    seedUndelivered,
    redeliver,
  }) => {
    await start({ env: { EXA_WEBHOOK_SECRETS: `${WEBHOOK_ID}=whsec_not_the_receivers_secret` } });
    const ids = seedUndelivered(2);
    const { output, text } = await redeliver({ eventIds: ids, dryRun: false });
    expect(output).toMatchObject({ delivered: 0, failed: 2 });
    expect(output.results?.every((result) => result.statusCode === 401 && result.category === "auth_rejected")).toBe(
      true,
    );
    const cause = text.split("\n").find((line) => line.startsWith("- auth_rejected ×2 (HTTP 401): "));
    expect(cause).toContain(
      "the secret given here (EXA_WEBHOOK_SECRETS or secret) may not be the one it verifies with",
    );
    expect(cause).toContain("verify_webhook_signature");
    expect(text).toContain('receiver said (untrusted): "invalid signature"');
  });
});

describe("redeliver_events input", () => {
  it("needs exactly one of eventIds and undelivered:true", async ({ receiver, start, redeliver }) => {
    await start();
    const both = await redeliver({ eventIds: ["event_a"], undelivered: true });
    expect(both.isError).toBe(true);
    expect(both.text).toBe("Invalid input for redeliver_events: give either eventIds or undelivered:true, not both.");
    const neither = await redeliver({});
    expect(neither.isError).toBe(true);
    expect(neither.text).toMatch(/say which events: eventIds \["event_\.\.\."\].*or undelivered:true/);
    const tooMany = await redeliver({ eventIds: Array.from({ length: 501 }, (_, i) => `event_${i}`) });
    expect(tooMany.text).toMatch(/eventIds needs 1 to 500 ids/);
    expect(receiver.received).toEqual([]);
  });

  it("unknown and expired ids are skipped; an event of another type is sent, and said", async ({
    emulator,
    receiver,
    start,
    seedUndelivered,
    redeliver,
  }) => {
    await start();
    const [fresh] = seedUndelivered(1);
    const old = emulator.store.addEvent({ type: "webset.item.created", createdAt: Date.now() - 61 * DAY });
    const foreign = emulator.store.addEvent({ type: "webset.idle" });
    const ids = [fresh as string, "event_never_existed", old.id, foreign.id];

    const plan = await redeliver({ eventIds: ids });
    expect(plan.output.planned).toEqual([
      expect.objectContaining({ eventId: fresh, expired: false, subscribed: true }),
      {
        eventId: "event_never_existed",
        type: null,
        createdAt: null,
        expired: true,
        subscribed: null,
        skipped: "not_found",
      },
      expect.objectContaining({ eventId: old.id, expired: true, skipped: "expired" }),
      expect.objectContaining({ eventId: foreign.id, type: "webset.idle", expired: false, subscribed: false }),
    ]);
    expect(plan.output.skipped).toBe(2);
    expect(plan.text).toContain("2 events of webhook webhook_redeliver_test would be POSTed");
    expect(plan.text).toContain(
      "event_never_existed · not found: expired (Exa deletes events after 60 days) or never existed · skipped",
    );
    expect(plan.text).toContain("older than 60 days: expired, skipped");
    expect(plan.text).toContain(
      "1 event of type this webhook does not subscribe to (webset.idle): they would be sent anyway",
    );

    const sent = await redeliver({ eventIds: ids, dryRun: false });
    expect(sent.output).toMatchObject({ delivered: 2, failed: 0, skipped: 2 });
    expect(receiver.received.map((request) => request.eventId).sort()).toEqual([fresh, foreign.id].sort());
  });

  it("repeated ids are sent once", async ({ receiver, start, seedUndelivered, redeliver }) => {
    await start();
    const [id] = seedUndelivered(1);
    const { output, text } = await redeliver({ eventIds: [id, id, id], dryRun: false });
    expect(output.delivered).toBe(1);
    expect(receiver.received).toHaveLength(1);
    expect(text).toContain("2 repeated event ids ignored: each event is sent at most once.");
  });
});

describe("redeliver_events targets", () => {
  it("refuses a target outside the webhook's origin and loopback before reading or sending anything", async ({
    receiver,
    start,
    seedUndelivered,
    redeliver,
    eventFetches,
  }) => {
    await start();
    const ids = seedUndelivered(2);
    for (const targetUrl of [
      "https://attacker.example.net/collect",
      "http://127.0.0.1.attacker.example.net/x",
      "http://localhost.attacker.example.net/x",
      "ftp://127.0.0.1/x",
    ]) {
      const refused = await redeliver({ eventIds: ids, targetUrl, dryRun: false });
      expect(refused.isError, targetUrl).toBe(true);
      expect(refused.text).toMatch(
        /only to the webhook's own origin \(http:\/\/127\.0\.0\.1:\d+\) or to a loopback address|must be an absolute http\(s\) URL/,
      );
      expect(refused.text).toContain("Nothing was sent.");
    }
    expect(eventFetches()).toBe(0);
    expect(receiver.received).toEqual([]);
  });

  it("accepts a loopback dev server and the webhook's own origin (plan only: nothing leaves the machine)", async ({
    start,
    seedUndelivered,
    redeliver,
  }) => {
    await start({ webhookUrl: "https://hooks.example.com/exa" });
    const ids = seedUndelivered(1);
    const local = await redeliver({ eventIds: ids, targetUrl: "http://localhost:3000/webhooks/exa" });
    expect(local.isError, local.text).toBe(false);
    expect(local.output.targetUrl).toBe("http://localhost:3000/webhooks/exa");
    const sameOrigin = await redeliver({ eventIds: ids, targetUrl: "https://hooks.example.com/exa/v2" });
    expect(sameOrigin.output.targetUrl).toBe("https://hooks.example.com/exa/v2");
    const otherPort = await redeliver({ eventIds: ids, targetUrl: "https://hooks.example.com:8443/exa" });
    expect(otherPort.isError).toBe(true);
    expect(otherPort.text).toContain("https://hooks.example.com");
  });

  it("replays into a local receiver when the webhook's URL is public", async ({
    receiver,
    start,
    seedUndelivered,
    redeliver,
  }) => {
    await start({ webhookUrl: "https://hooks.example.com/exa" });
    const ids = seedUndelivered(2);
    const { output } = await redeliver({ eventIds: ids, targetUrl: receiver.url, dryRun: false });
    expect(output.delivered).toBe(2);
    expect(receiver.received.every((request) => request.signatureValid)).toBe(true);
  });

  it("in --sandbox, the sandbox's loopback rule applies to the webhook's own URL too", async ({
    start,
    seedUndelivered,
    redeliver,
  }) => {
    await start({ webhookUrl: "https://hooks.example.com/exa", sandbox: true });
    const ids = seedUndelivered(1);
    const refused = await redeliver({ eventIds: ids, dryRun: false });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain("the sandbox sends only to 127.0.0.0/8, localhost or [::1]");
  });

  it("a redirect is a failure and is not followed; a reset and a 5xx are reported by category", async ({
    start,
    seedUndelivered,
    redeliver,
    receiverThat,
  }) => {
    const elsewhere = await startReceiver(SECRET);
    let n = 0;
    const ids: string[] = [];
    const receiver = await receiverThat((request) => {
      n++;
      const index = ids.indexOf(request.eventId as string);
      if (index === 0) return { kind: "answer", status: 302, headers: { location: elsewhere.url } };
      if (index === 1) return { kind: "reset" };
      return { kind: "answer", status: 503, body: "<html>upstream unavailable</html>" };
    }, SECRET);
    await start({ webhookUrl: receiver.url });
    ids.push(...seedUndelivered(3));
    const { output, text } = await redeliver({ eventIds: ids, dryRun: false });
    const byId = new Map(output.results?.map((result) => [result.eventId, result]));
    expect(byId.get(ids[0] as string)).toMatchObject({ statusCode: 302, ok: false, category: "redirect" });
    expect(byId.get(ids[1] as string)).toMatchObject({ statusCode: 0, ok: false, category: "unreachable" });
    expect(byId.get(ids[2] as string)).toMatchObject({ statusCode: 503, ok: false, category: "server_error" });
    expect(elsewhere.received).toEqual([]);
    expect(n).toBe(3);
    expect(text).toContain("Failures by cause:");
    for (const line of [
      "- redirect ×1 (HTTP 302): ",
      "- unreachable ×1 (no HTTP answer): ",
      "- server_error ×1 (HTTP 503): ",
    ])
      expect(text).toContain(line);
    await elsewhere.close();
  });
});

describe("redeliver_events limits", () => {
  it("1,000 events against a slow receiver within a small budget: a partial result, each event sent at most once", async ({
    start,
    seedUndelivered,
    redeliver,
    receiverThat,
  }) => {
    const receiver = await receiverThat(() => ({ kind: "answer", status: 200, body: "ok", delayMs: 100 }), SECRET);
    await start({ env: { EXA_DIAGNOSE_BUDGET_MS: "1500" }, webhookUrl: receiver.url });
    seedUndelivered(1000);
    const { output, text, isError } = await redeliver({ undelivered: true, maxEvents: 1000, dryRun: false });
    expect(isError, text).toBe(false);
    const sent = output.results?.length ?? 0;
    expect(output.planned).toHaveLength(1000);
    expect(output.notSent.length).toBeGreaterThan(0);
    expect(sent + output.notSent.length + output.skipped).toBe(1000);
    expect(output.complete).toBe(false);
    expect(output.incompleteReason).toMatch(/time budget ran out: \d+ of 1000 events were not sent/);
    expect(text).toContain(`The time budget ran out after ${sent} POSTs: ${output.notSent.length} events not sent`);
    const received = receiver.received.map((request) => request.eventId);
    expect(new Set(received).size).toBe(received.length);
    expect(received.length).toBe(sent);
    for (const id of output.notSent) expect(received).not.toContain(id);
  });

  it("progress only increases; cancellation stops further POSTs", async ({ start, seedUndelivered, receiverThat }) => {
    const receiver = await receiverThat(() => ({ kind: "answer", status: 200, body: "ok", delayMs: 50 }), SECRET);
    const harness = await start({ webhookUrl: receiver.url });
    const ids = seedUndelivered(200);
    const updates: number[] = [];
    const controller = new AbortController();
    const pending = harness.client.callTool(
      { name: "redeliver_events", arguments: { webhookId: WEBHOOK_ID, eventIds: ids, dryRun: false } },
      { signal: controller.signal, onprogress: (progress) => updates.push(progress.progress) },
    );
    await expect.poll(() => receiver.received.length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(8);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await quietFor(200);
    const settled = receiver.received.length;
    await quietFor(300);
    expect(receiver.received.length).toBe(settled);
    expect(settled).toBeLessThan(200);
    expect(updates.length).toBeGreaterThan(1);
    for (let i = 1; i < updates.length; i++) expect(updates[i]).toBeGreaterThan(updates[i - 1] as number);
  });

  it("answers no sooner than PROGRESS_ANSWER_GAP_MS after its last progress, so a client reads the two apart", async ({
    start,
    seedUndelivered,
  }) => {
    const harness = await start();
    const ids = seedUndelivered(3);
    // In memory a message reaches the client as it is written, so the times below are the server's.
    const wire = recordInbound(harness.client);
    const result = await harness.client.callTool(
      { name: "redeliver_events", arguments: { webhookId: WEBHOOK_ID, eventIds: ids, dryRun: false } },
      { onprogress: () => {} },
    );
    expect(result.isError).toBeFalsy();
    const progress = wire.filter((entry) => entry.message.method === "notifications/progress");
    const answer = wire.find((entry) => entry.message.result !== undefined);
    expect(progress.length).toBeGreaterThan(0);
    expect(answer).toBeDefined();
    const gap = (answer?.at ?? 0) - (progress.at(-1)?.at ?? 0);
    expect(gap, `the answer came ${gap.toFixed(1)} ms after the last progress`).toBeGreaterThanOrEqual(
      PROGRESS_ANSWER_GAP_MS,
    );
  });

  it("is hidden by --read-only", async ({ emulator, receiver, session }) => {
    emulator.store.createWebhook({ url: receiver.url, events: TYPES });
    session.harness = await startHarness({ emulator, flags: { readOnly: true } });
    const { tools } = await session.harness.client.listTools();
    expect(tools.map((tool) => tool.name)).not.toContain("redeliver_events");
  });
});

describe("the secret", () => {
  it("never appears in text, structuredContent, errors, logs or progress, even when the receiver echoes it", async ({
    start,
    seedUndelivered,
    receiverThat,
  }) => {
    const receiver = await receiverThat(() => ({ kind: "answer", status: 500, body: `bad secret? ${SECRET}` }), SECRET);
    const harness = await start({ env: { EXA_WEBHOOK_SECRETS: "" }, webhookUrl: receiver.url });
    const seen: string[] = [];
    harness.client.setNotificationHandler("notifications/message", (notification) => {
      seen.push(JSON.stringify(notification));
    });
    const ids = seedUndelivered(2);
    const calls: Record<string, unknown>[] = [
      { eventIds: ids, secret: SECRET },
      { eventIds: ids, secret: SECRET, dryRun: false },
      { undelivered: true, secret: SECRET, dryRun: false },
      { eventIds: ids, secret: SECRET, targetUrl: "https://attacker.example.net/x", dryRun: false },
      { eventIds: ids, secret: SECRET, maxEvents: 0 },
      { eventIds: ids, secret: SECRET, bogus: SECRET },
    ];
    for (const args of calls) {
      const raw = await harness.client.callTool(
        { name: "redeliver_events", arguments: { webhookId: WEBHOOK_ID, ...args } },
        { onprogress: (progress) => seen.push(JSON.stringify(progress)) },
      );
      seen.push(JSON.stringify(raw));
    }
    expect(receiver.received.length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(calls.length);
    for (const output of seen) expect(output).not.toContain(SECRET);
    expect(seen.join("\n")).toContain("[redacted]");
  });

  it("from EXA_WEBHOOK_SECRETS is hidden in every form a receiver may echo it in (percent-encoded, JSON-escaped)", async ({
    start,
    seedUndelivered,
    receiverThat,
  }) => {
    const secret = 'whsec_a+b/c=d"e_91f3c7';
    const receiver = await receiverThat(
      () => ({
        kind: "answer",
        status: 500,
        body: `url=${encodeURIComponent(secret)} json=${JSON.stringify({ secret })}`,
      }),
      secret,
    );
    const harness = await start({ env: { EXA_WEBHOOK_SECRETS: `${WEBHOOK_ID}=${secret}` }, webhookUrl: receiver.url });
    const ids = seedUndelivered(1);
    const answer = await harness.call("redeliver_events", {
      webhookId: WEBHOOK_ID,
      eventIds: ids,
      dryRun: false,
    });
    expect(receiver.received.length).toBe(1);
    const output = JSON.stringify(answer.raw);
    expect(output).toContain("[redacted]");
    for (const form of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) {
      expect(output).not.toContain(form);
      expect(answer.text).not.toContain(form);
    }
  });
});
