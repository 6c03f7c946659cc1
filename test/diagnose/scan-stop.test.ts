// The scan's stopChain hook against the emulator, as an incremental scan uses it: each chain stops at the
// first attempt the caller already holds, and the diagnosis equals a fresh scan of the newer attempts alone.
import { type ScanOptions, scanWebhookAttempts, type WebhookDiagnosis } from "../../src/diagnose/index.js";
import type { Partition } from "../../src/diagnose/partitions.js";
import { ExaClient } from "../../src/exa/client.js";
import type { WebhookAttempt } from "../../src/exa/schemas.js";
import { type AddAttemptInput, startEmulator } from "../../src/sandbox/emulator.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import { seeded } from "./fixtures.js";

const SEED = 1907;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TYPES = ["webset.created", "webset.idle", "webset.item.created"];
const URL_ = "https://hooks.example.com/exa";

const now = Date.now();
const createdAt = new Date(now - 30 * DAY).toISOString();

const it = test
  /** The emulator for the file's tests, and an Exa client on it. */
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
  .extend("upstream", { scope: "file" }, async ({}, { onCleanup }) => {
    console.log(`scan-stop seed ${SEED}`);
    const emulator = await startEmulator();
    onCleanup(() => emulator.close());
    const exa = new ExaClient({ baseUrl: emulator.baseUrl, apiKey: "exa-test-key-stop", retryBaseMs: 1 });
    return { emulator, exa };
  })
  /** A new webhook on the emulator, as the scan takes it. */
  .extend("webhook", ({ upstream: { emulator } }) => (): ScanOptions["webhook"] => {
    const { id } = emulator.store.createWebhook({ url: URL_, events: TYPES, createdAt });
    return { id, url: URL_, status: "active", events: TYPES, createdAt };
  })
  /** A scan of `target` through the Exa client, and the pages it asked for. */
  .extend("scan", ({ upstream: { exa } }) => (target: ScanOptions["webhook"], options: Partial<ScanOptions> = {}) => {
    const pages: { eventType?: string; successful?: boolean }[] = [];
    const diagnosis = scanWebhookAttempts({
      webhook: target,
      source: (query, signal) => {
        pages.push({ ...(query.eventType ? { eventType: query.eventType } : {}), successful: query.successful });
        return exa.listAttempts(query.webhookId, query, signal);
      },
      events: (query, signal) => exa.listEvents(query, signal),
      maxAttempts: 100_000,
      concurrency: 4,
      now,
      ...options,
    });
    return { diagnosis, pages };
  });

describe("scanWebhookAttempts with stopChain, against the emulator", () => {
  /** Retried failures and successes over `events` events from `startMs`, one a minute; seeded. */
  function history(webhookId: string, prefix: string, events: number, startMs: number, seed: number) {
    const random = seeded(seed);
    const attempts: AddAttemptInput[] = [];
    for (let i = 0; i < events; i++) {
      const event = { webhookId, eventId: `event_${prefix}_${i}`, eventType: TYPES[i % TYPES.length] as string };
      const at = startMs + i * 60_000;
      const fails = random() < 0.35;
      attempts.push({
        ...event,
        successful: !fails,
        responseStatusCode: fails ? 503 : 200,
        responseBody: fails ? "Service Unavailable" : "ok",
        attempt: 1,
        attemptedAt: at,
      });
      if (fails && random() < 0.5) attempts.push({ ...event, successful: true, attempt: 2, attemptedAt: at + 1000 });
    }
    return attempts;
  }

  function withoutSampleIds(diagnosis: WebhookDiagnosis) {
    return { ...diagnosis, groups: diagnosis.groups.map(({ sampleAttemptId: _id, ...group }) => group) };
  }

  /** A hook that stops at the attempts held, and records what it was asked. */
  function stopAtHeld(held: ReadonlySet<string>) {
    const asked: { partition: Partition; attempt: WebhookAttempt }[] = [];
    const stopChain = (partition: Partition, attempt: WebhookAttempt) => {
      asked.push({ partition, attempt });
      return held.has(attempt.id);
    };
    return { stopChain, asked };
  }

  it("stops each chain at the first held attempt: complete, and equal to a fresh scan of the newer attempts", async ({
    upstream: { emulator },
    webhook,
    scan,
  }) => {
    // ~800 old and ~600 new attempts over 3 types: more than one page per outcome, so typed chains run.
    const stopped = webhook();
    const fresh = webhook();
    const old = emulator.store.addAttempts(history(stopped.id, "old", 700, now - 20 * DAY, SEED));
    const newer = history(stopped.id, "new", 500, now - 5 * DAY, SEED + 1);
    emulator.store.addAttempts(newer);
    emulator.store.addAttempts(newer.map((a) => ({ ...a, webhookId: fresh.id })));
    // Events nobody attempted: one before the stop point (not judgeable there), one after it.
    emulator.store.addEvent({ type: "webset.idle", id: "event_unattempted_old", createdAt: now - 18 * DAY });
    emulator.store.addEvent({ type: "webset.idle", id: "event_unattempted_new", createdAt: now - 2 * DAY });
    const held = new Set(old.map((a) => a.id));

    const results = [];
    for (const concurrency of [1, 8]) {
      const hook = stopAtHeld(held);
      const run = scan(stopped, { stopChain: hook.stopChain, concurrency });
      const diagnosis = await run.diagnosis;
      // The hook is asked about attempts of the chain it names, and about no held attempt after the first.
      expect(hook.asked.every(({ partition, attempt }) => partition.successful === attempt.successful)).toBe(true);
      expect(hook.asked.filter(({ attempt }) => held.has(attempt.id)).length).toBeLessThanOrEqual(2 * TYPES.length + 2);
      results.push({ diagnosis, pages: run.pages.length });
    }
    const full = scan(stopped);
    const reference = await scan(fresh).diagnosis;

    const [one, eight] = results.map((r) => r.diagnosis);
    expect(eight).toEqual(one);
    expect(one).toMatchObject({ complete: true, attemptsScanned: newer.length });
    expect(one?.incompleteCauses).toBeUndefined();
    // The same diagnosis as a webhook that only ever had the newer attempts (same events, times, bodies).
    // (Attempt ids differ between the two webhooks: samples are compared by event.)
    expect(withoutSampleIds({ ...one, webhookId: fresh.id } as WebhookDiagnosis)).toEqual(withoutSampleIds(reference));
    const newerIds = new Set(
      emulator.store
        .listAttempts(stopped.id)
        .filter((a) => !held.has(a.id))
        .map((a) => a.id),
    );
    expect(one?.groups.every((g) => newerIds.has(g.sampleAttemptId))).toBe(true);
    expect(one?.missedEvents.neverAttempted).toEqual(["event_unattempted_new"]);
    // Stopping saved pages: the full scan pages the old attempts too.
    const fullDiagnosis = await full.diagnosis;
    expect(fullDiagnosis.attemptsScanned).toBe(old.length + newer.length);
    expect(results[0]?.pages).toBeLessThan(full.pages.length);
  });

  it("a stop on an outcome's head page reads that outcome through: two requests, no typed chains", async ({
    upstream: { emulator },
    webhook,
    scan,
  }) => {
    const target = webhook();
    const old = emulator.store.addAttempts(history(target.id, "head_old", 700, now - 20 * DAY, SEED + 2));
    const newer = history(target.id, "head_new", 4, now - DAY, SEED + 3);
    emulator.store.addAttempts(newer);
    const { stopChain } = stopAtHeld(new Set(old.map((a) => a.id)));
    const run = scan(target, { stopChain });
    const diagnosis = await run.diagnosis;
    expect(diagnosis).toMatchObject({ complete: true, attemptsScanned: newer.length });
    expect(run.pages).toEqual([{ successful: false }, { successful: true }]);
  });

  it("with every attempt held: nothing folded, complete, and no event older than the stop point called unattempted", async ({
    upstream: { emulator },
    webhook,
    scan,
  }) => {
    const target = webhook();
    const old = emulator.store.addAttempts(history(target.id, "all_old", 300, now - 12 * DAY, SEED + 4));
    // Created among the held attempts (they run from 12 days ago for 5 hours): before the stop point.
    emulator.store.addEvent({
      type: "webset.created",
      id: "event_unattempted_before_stop",
      createdAt: now - 12 * DAY + 2 * HOUR,
    });
    const { stopChain } = stopAtHeld(new Set(old.map((a) => a.id)));
    const diagnosis = await scan(target, { stopChain }).diagnosis;
    expect(diagnosis).toMatchObject({ complete: true, attemptsScanned: 0 });
    // Without the stop point as the window's floor, the window would start when the webhook was created and
    // call every event since then unattempted.
    expect(diagnosis.missedEvents.neverAttempted).not.toContain("event_unattempted_before_stop");
    expect(diagnosis.missedEvents.neverAttempted).not.toContain("event_unattempted_old");
  });
});
