// Incremental diagnosis against the emulator over real HTTP, with a real (SQLite, in memory) store: a diagnosis
// built on a warm store must equal a fresh scan of the same emulator state with an empty store, for any since
// window and event type, after new attempts, and after old ones expire from Exa. Histories are random, seeded.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memoryText } from "../../src/diagnose/incremental-render.js";
import { ATTEMPT_RETENTION_MS, diagnoseIncrementally, type WebhookDiagnosis } from "../../src/diagnose/index.js";
import { ExaClient } from "../../src/exa/client.js";
import { EVENT_TYPES } from "../../src/exa/event-types.js";
import type { AddAttemptInput } from "../../src/sandbox/emulator.js";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/types.js";
import { seeded } from "./fixtures.js";

const KEY = "exa-test-key-incremental";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const URLS = ["https://hooks.acme.dev/exa", "https://hooks.acme.dev/v2/exa"];
const FAILURES = [
  { status: 500, body: "TypeError: Cannot read properties of undefined (reading 'items')" },
  { status: 0, body: "connect ECONNREFUSED 10.0.0.7:443" },
  { status: 0, body: "" },
  { status: 401, body: '{"error":"Webhook signature verification failed"}' },
  { status: 404, body: "" },
  { status: 503, body: "<html><head><title>503 Service Unavailable</title></head><body>nginx</body></html>" },
  { status: 400, body: "bad payload, request id " },
  // The body decides the category of these: a remembered attempt keeps its category, not its body.
  { status: 0, body: "CERT_HAS_EXPIRED: certificate has expired" },
  { status: 0, body: "connect ETIMEDOUT 10.0.0.7:443" },
  { status: 400, body: "invalid signature" },
  { status: 503, body: "<html><title>Just a moment...</title></html>" },
];

let emulator: Emulator;
let client: ExaClient;
const stores: Store[] = [];

beforeEach(async () => {
  emulator = await startEmulator();
  client = new ExaClient({ baseUrl: emulator.baseUrl, apiKey: KEY, retryBaseMs: 5 });
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await emulator.close();
});

async function emptyStore(): Promise<Store> {
  const opened = await openStore({ engine: "memory" });
  if (!opened.ok) throw new Error(opened.unavailable.detail);
  stores.push(opened.store);
  return opened.store;
}

/** Random events from `fromMs` to `toMs`: retried failures, recoveries, two URLs, ties, events never attempted. */
function seedAttempts(
  webhookId: string,
  random: () => number,
  fromMs: number,
  toMs: number,
  count: number,
  tag: string,
) {
  const types = EVENT_TYPES.slice(0, 5);
  const attempts: AddAttemptInput[] = [];
  for (let i = 0; i < count; i++) {
    const type = types[Math.floor(random() * types.length)] as string;
    const eventId = `evt_${tag}_${i}`;
    const first = Math.floor(fromMs + ((toMs - fromMs) * i) / count);
    emulator.store.addEvent({ id: eventId, type, createdAt: first - 1000 });
    if (random() < 0.05) continue; // never attempted
    const url = URLS[random() < 0.3 ? 0 : 1] as string;
    let at = first;
    const tries = 1 + Math.floor(random() * 3);
    for (let n = 1; n <= tries; n++) {
      const ok = random() < (n === 1 ? 0.6 : 0.4);
      const failure = FAILURES[Math.floor(random() * FAILURES.length)] as (typeof FAILURES)[number];
      const body = failure.status === 400 ? `${failure.body}${Math.floor(random() * 1000)}` : failure.body;
      attempts.push({
        webhookId,
        eventId,
        eventType: type,
        url,
        attempt: n,
        attemptedAt: Math.min(at, toMs),
        successful: ok,
        responseStatusCode: ok ? 200 : failure.status,
        responseBody: ok ? "ok" : body,
      });
      if (ok) break;
      // Now and then two attempts share an instant (a tie the scan orders by id).
      at += random() < 0.1 ? 0 : Math.floor(random() * 20 * MINUTE);
    }
  }
  emulator.store.addAttempts(attempts);
  return attempts.length;
}

interface DiagnoseInput {
  store: Store | undefined;
  webhookId: string;
  now: number;
  since?: Date;
  eventType?: string;
}

async function diagnose(input: DiagnoseInput) {
  const signal = new AbortController().signal;
  const webhook = await client.getWebhook(input.webhookId, signal);
  emulator.requests.length = 0;
  const result = await diagnoseIncrementally({
    memory: input.store ? { kind: "store", history: input.store.history, account: "acct" } : undefined,
    webhook,
    source: (query, s) => client.listAttempts(query.webhookId, query, s),
    events: (query, s) => client.listEvents(query, s),
    maxAttempts: 200_000,
    concurrency: 4,
    now: input.now,
    ...(input.since ? { since: input.since } : {}),
    ...(input.eventType ? { eventType: input.eventType } : {}),
  });
  const attemptRequests = emulator.requests.filter((r) => r.path.endsWith("/attempts")).length;
  const eventRequests = emulator.requests.filter((r) => r.path.endsWith("/events")).length;
  return { ...result, attemptRequests, eventRequests };
}

/** The diagnosis without what only says how it was made (the store note and history). */
function core(diagnosis: WebhookDiagnosis) {
  const { memory: _memory, history: _history, ...rest } = diagnosis;
  return rest;
}

async function expectWarmEqualsFresh(warm: Store, input: Omit<DiagnoseInput, "store">) {
  const built = await diagnose({ ...input, store: warm });
  const fresh = await diagnose({ ...input, store: await emptyStore() });
  expect(core(built.diagnosis)).toEqual(core(fresh.diagnosis));
  return { built, fresh };
}

describe("diagnoseIncrementally", () => {
  for (const seed of [1, 7, 2026]) {
    it(`equals a fresh scan after new attempts, for any since and event type (seed ${seed})`, async () => {
      console.log(`incremental equality seed ${seed}`);
      const random = seeded(seed);
      const now0 = Date.parse("2026-12-01T12:00:00.000Z");
      const webhook = emulator.store.createWebhook({
        url: URLS[1] as string,
        events: EVENT_TYPES.slice(0, 5),
        createdAt: now0 - 20 * DAY,
      });
      seedAttempts(webhook.id, random, now0 - 14 * DAY, now0 - MINUTE, 400 + Math.floor(random() * 400), "a");
      const warm = await emptyStore();
      const first = await diagnose({ store: warm, webhookId: webhook.id, now: now0 });
      expect(first.diagnosis.memory).toEqual({ kind: "full", remembered: true, reason: "first" });

      // New attempts after the first look, some at the very instant of the newest one remembered.
      const now1 = now0 + 2 * DAY;
      const added = seedAttempts(webhook.id, random, now0 - MINUTE, now1 - MINUTE, 300, "b");
      const { built, fresh } = await expectWarmEqualsFresh(warm, { webhookId: webhook.id, now: now1 });
      expect(built.diagnosis.memory).toMatchObject({ kind: "incremental", newAttempts: added });
      expect(built.attemptRequests).toBeLessThan(fresh.attemptRequests);
      // The events listed before are answered from memory: only the new span is asked of Exa.
      console.log(`events requests: warm ${built.eventRequests}, fresh ${fresh.eventRequests}`);
      expect(built.eventRequests).toBeLessThan(fresh.eventRequests);
      expect(built.diagnosis.attemptsScanned).toBeGreaterThan(added);

      for (let i = 0; i < 6; i++) {
        const since = new Date(now0 - Math.floor(random() * 16 * DAY));
        const eventType = random() < 0.5 ? (EVENT_TYPES[Math.floor(random() * 5)] as string) : undefined;
        const window = { webhookId: webhook.id, now: now1, since, ...(eventType ? { eventType } : {}) };
        const { built: cut } = await expectWarmEqualsFresh(warm, window);
        expect(cut.diagnosis.memory?.kind).toBe("incremental");
        expect(cut.attemptRequests).toBeLessThanOrEqual(2);
      }
    });
  }

  it("equals a fresh scan after old attempts expire from Exa (seed 11)", async () => {
    console.log("incremental expiry seed 11");
    const random = seeded(11);
    const now0 = Date.parse("2026-10-01T00:00:00.000Z");
    const webhook = emulator.store.createWebhook({
      url: URLS[1] as string,
      events: EVENT_TYPES.slice(0, 5),
      createdAt: now0 - 70 * DAY,
    });
    seedAttempts(webhook.id, random, now0 - 59 * DAY, now0 - MINUTE, 600, "a");
    const warm = await emptyStore();
    await diagnose({ store: warm, webhookId: webhook.id, now: now0 });

    // Ten days on: Exa deleted what is older than its retention, and new attempts came in.
    const now1 = now0 + 10 * DAY;
    const expired = emulator.store.expireAttempts(webhook.id, now1 - ATTEMPT_RETENTION_MS);
    expect(expired).toBeGreaterThan(0);
    seedAttempts(webhook.id, random, now0, now1 - MINUTE, 200, "b");
    const { built } = await expectWarmEqualsFresh(warm, { webhookId: webhook.id, now: now1 });
    expect(built.diagnosis.memory?.kind).toBe("incremental");
    await expectWarmEqualsFresh(warm, { webhookId: webhook.id, now: now1, since: new Date(now1 - 55 * DAY) });
  });

  it("starts over for a webhook deleted and created again, under a new id or the same one", async () => {
    const random = seeded(5);
    const now = Date.parse("2026-12-01T12:00:00.000Z");
    const old = emulator.store.createWebhook({
      url: URLS[1] as string,
      events: ["webset.created"],
      createdAt: now - 9 * DAY,
    });
    seedAttempts(old.id, random, now - 8 * DAY, now - HOUR, 100, "a");
    const warm = await emptyStore();
    await diagnose({ store: warm, webhookId: old.id, now });
    emulator.store.deleteWebhook(old.id);

    const renewed = emulator.store.createWebhook({
      url: URLS[1] as string,
      events: ["webset.created"],
      createdAt: now - DAY,
    });
    seedAttempts(renewed.id, random, now - DAY, now - HOUR, 50, "b");
    const other = await expectWarmEqualsFresh(warm, { webhookId: renewed.id, now });
    expect(other.built.diagnosis.memory).toEqual({ kind: "full", remembered: true, reason: "first" });

    // The same id again (a fixed id, another createdAt): what was remembered under it is someone else's.
    emulator.store.deleteWebhook(renewed.id);
    const sameId = emulator.store.createWebhook({
      id: renewed.id,
      url: URLS[0] as string,
      events: ["webset.created"],
      createdAt: now - HOUR,
    });
    seedAttempts(sameId.id, random, now - HOUR + MINUTE, now - MINUTE, 20, "c");
    const again = await expectWarmEqualsFresh(warm, { webhookId: sameId.id, now });
    expect(again.built.diagnosis.memory).toEqual({ kind: "full", remembered: true, reason: "first" });
  });

  it("reads only the newer pages: 1,000 new attempts on 4,000 remembered cost a handful of requests", async () => {
    const now0 = Date.parse("2026-12-01T12:00:00.000Z");
    const webhook = emulator.store.createWebhook({
      url: URLS[1] as string,
      events: ["webset.created"],
      createdAt: now0 - 9 * DAY,
    });
    const bulk = (from: number, count: number, tag: string) =>
      emulator.store.addAttempts(
        Array.from({ length: count }, (_, i) => ({
          webhookId: webhook.id,
          eventId: `evt_${tag}_${i}`,
          eventType: EVENT_TYPES[i % 7] as string,
          attemptedAt: from + i * MINUTE,
          successful: i % 10 !== 0,
          responseStatusCode: i % 10 !== 0 ? 200 : 500,
        })),
      );
    bulk(now0 - 4000 * MINUTE, 4000, "a");
    const warm = await emptyStore();
    const first = await diagnose({ store: warm, webhookId: webhook.id, now: now0 });
    bulk(now0, 1000, "b");
    const second = await diagnose({ store: warm, webhookId: webhook.id, now: now0 + 1000 * MINUTE });
    // 900 successful (5 pages, the last one reaching a remembered attempt) and 100 failed (1 page, same).
    expect(second.diagnosis.memory).toMatchObject({
      kind: "incremental",
      newPages: 6,
      newAttempts: 1000,
      rememberedAttempts: 4000,
    });
    expect(second.attemptRequests).toBe(6);
    expect(second.diagnosis.attemptsScanned).toBe(5000);
    expect(first.attemptRequests).toBeGreaterThan(20);
  });

  it("builds on attempts stored by the previous release (a row per attempt), and rewrites changed days", async () => {
    console.log("incremental stored v1 seed 13");
    const random = seeded(13);
    const now0 = Date.parse("2026-12-01T12:00:00.000Z");
    const webhook = emulator.store.createWebhook({
      url: URLS[1] as string,
      events: EVENT_TYPES.slice(0, 5),
      createdAt: now0 - 20 * DAY,
    });
    seedAttempts(webhook.id, random, now0 - 10 * DAY, now0 - MINUTE, 500, "a");
    const warm = await emptyStore();
    await diagnose({ store: warm, webhookId: webhook.id, now: now0 });
    const rewritten = await storeAsPreviousRelease(warm, webhook.id);
    expect(rewritten).toBeGreaterThan(5);

    const now1 = now0 + DAY;
    const added = seedAttempts(webhook.id, random, now0 - MINUTE, now1 - MINUTE, 200, "b");
    const { built, fresh } = await expectWarmEqualsFresh(warm, { webhookId: webhook.id, now: now1 });
    expect(built.diagnosis.memory).toMatchObject({ kind: "incremental", newAttempts: added });
    // The listed events were read back too: only the new span is asked of Exa (all of it: 9 requests).
    expect(fresh.eventRequests).toBeGreaterThan(4);
    expect(built.eventRequests).toBeLessThanOrEqual(2);
    // Old and new days side by side, with a window and a type.
    const since = new Date(now0 - 6 * DAY);
    const { built: cut } = await expectWarmEqualsFresh(warm, { webhookId: webhook.id, now: now1, since });
    expect(cut.diagnosis.memory?.kind).toBe("incremental");
  });

  it("scans in full, saying why, when what is remembered cannot be read", async () => {
    const random = seeded(17);
    const now = Date.parse("2026-12-01T12:00:00.000Z");
    const webhook = emulator.store.createWebhook({
      url: URLS[1] as string,
      events: EVENT_TYPES.slice(0, 5),
      createdAt: now - 20 * DAY,
    });
    seedAttempts(webhook.id, random, now - 5 * DAY, now - MINUTE, 200, "a");
    const warm = await emptyStore();
    await diagnose({ store: warm, webhookId: webhook.id, now });
    const key = { account: "acct", webhookId: webhook.id, eventType: "*", outcome: "failed" };
    const index = await warm.history.getCheckpoint(key);
    if (!index) throw new Error("the first diagnosis remembered nothing");
    // A day the index lists is gone: the store is incomplete.
    const { days } = index.aggregate as { days: string[] };
    await warm.history.putCheckpoint(key, {
      newestAttemptId: index.newestAttemptId,
      newestAttemptAt: index.newestAttemptAt,
      aggregate: { ...(index.aggregate as object), days: [...days, "2026-01-01"] },
    });
    const { built } = await expectWarmEqualsFresh(warm, { webhookId: webhook.id, now });
    expect(built.diagnosis.memory).toEqual({ kind: "full", remembered: true, reason: "unreadable" });
    expect(memoryText(built.diagnosis.memory)).toBe(
      "Full scan (what the store remembers of this webhook is incomplete or in a format this version does not read); remembered, so the next diagnosis reads only newer attempts.",
    );
    // A format from elsewhere (a later version): the same.
    await warm.history.putCheckpoint(key, { newestAttemptId: "", newestAttemptAt: "", aggregate: { v: 99 } });
    const { built: later } = await expectWarmEqualsFresh(warm, { webhookId: webhook.id, now });
    expect(later.diagnosis.memory).toMatchObject({ kind: "full", reason: "unreadable" });
    // Rebuilt by that scan: the next one builds on it.
    const { built: next } = await expectWarmEqualsFresh(warm, { webhookId: webhook.id, now });
    expect(next.diagnosis.memory?.kind).toBe("incremental");
  });

  it("without a store scans in full and says why nothing is remembered", async () => {
    const now = Date.parse("2026-12-01T12:00:00.000Z");
    const webhook = emulator.store.createWebhook({
      url: URLS[1] as string,
      events: ["webset.created"],
      createdAt: now - DAY,
    });
    seedAttempts(webhook.id, seeded(3), now - 20 * HOUR, now - HOUR, 30, "a");
    const signal = new AbortController().signal;
    const { diagnosis, history } = await diagnoseIncrementally({
      memory: { kind: "unavailable", because: "the state file /ro/state.db cannot be written (EROFS)" },
      webhook: await client.getWebhook(webhook.id, signal),
      source: (query, s) => client.listAttempts(query.webhookId, query, s),
      events: (query, s) => client.listEvents(query, s),
      maxAttempts: 200_000,
      concurrency: 4,
      now,
    });
    expect(history).toBeUndefined();
    expect(diagnosis.memory).toEqual({ kind: "off", because: "the state file /ro/state.db cannot be written (EROFS)" });
    expect(core(diagnosis)).toEqual(
      core((await diagnose({ store: await emptyStore(), webhookId: webhook.id, now })).diagnosis),
    );
  });
});

/**
 * Rewrites what is remembered of the webhook the way the previous release stored it (format 1): a row per
 * attempt, [id, eventId, type index, url index, attemptedAt, attempt, status, category index or -1], and a row
 * per listed event, [id, type index, createdAt]. Returns the days rewritten.
 */
async function storeAsPreviousRelease(store: Store, webhookId: string): Promise<number> {
  let days = 0;
  const columns = async (key: { account: string; webhookId: string; eventType: string; outcome: string }) => {
    const stored = (await store.history.getCheckpoint(key))?.aggregate as Record<string, unknown[]> & { v: number };
    expect(stored.v).toBe(2);
    return stored;
  };
  const put = (key: Parameters<Store["history"]["putCheckpoint"]>[0], aggregate: unknown) =>
    store.history.putCheckpoint(key, { newestAttemptId: "", newestAttemptAt: "", aggregate });
  for (const outcome of ["failed", "successful"]) {
    const key = { account: "acct", webhookId, outcome };
    const index = await store.history.getCheckpoint({ ...key, eventType: "*" });
    if (!index) throw new Error(`nothing remembered of ${webhookId}`);
    // That release wrote no write id: what this process kept is not used, the rows below are read.
    const { writeId: _, ...previousIndex } = index.aggregate as { writeId?: string };
    await store.history.putCheckpoint({ ...key, eventType: "*" }, { ...index, aggregate: previousIndex });
    for (const day of (index.aggregate as { days: string[] }).days) {
      const dayKey = { ...key, eventType: `*@${day}` };
      const stored = await columns(dayKey);
      const rows = stored.ids?.map((id, i) => [
        id,
        stored.eventIds?.[i],
        stored.typeIndexes?.[i],
        stored.urlIndexes?.[i],
        stored.attemptedAt?.[i],
        stored.attempts?.[i],
        stored.statusCodes?.[i],
        stored.categoryIndexes?.[i],
      ]);
      const { types, urls, samples, webhookCreatedAt } = stored;
      await put(dayKey, { v: 1, webhookCreatedAt, types, urls, rows, samples });
      days++;
    }
  }
  // The events, stored by day since (an index at the key the one blob had): joined back into that blob.
  const eventsKey = { account: "acct", webhookId, eventType: "*", outcome: "events" };
  const eventsIndex = (await store.history.getCheckpoint(eventsKey))?.aggregate as { days: string[] };
  const rows: unknown[][] = [];
  const types: unknown[] = [];
  const covered: Record<string, unknown[]> = {};
  let webhookCreatedAt: unknown;
  for (const day of eventsIndex.days) {
    const events = await columns({ ...eventsKey, eventType: `*@${day}` });
    webhookCreatedAt = events.webhookCreatedAt;
    events.ids?.forEach((id, i) => {
      const type = events.types?.[events.typeIndexes?.[i] as number];
      if (!types.includes(type)) types.push(type);
      rows.push([id, types.indexOf(type), events.createdAt?.[i]]);
    });
    for (const [type, spans] of Object.entries(events.covered as unknown as Record<string, unknown[]>))
      covered[type] = [...(covered[type] ?? []), ...spans];
  }
  await put(eventsKey, { v: 1, webhookCreatedAt, types, events: rows, covered });
  return days;
}
