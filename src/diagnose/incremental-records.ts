// What the store keeps of the attempts a scan folded in, so that a later diagnosis reads only the newer ones:
// per attempt its time, event, type, URL, attempt number, status and failure category (never its body), and
// per (category, status, event type) the cleaned text of the newest attempt that had any (the groups' samples).
// Kept per attempt rather than as sums so that any `since` window and Exa's expiry cut it exactly.
import type { WebhookAttempt } from "../exa/schemas.js";
import { sanitizeResponseText } from "../text/untrusted.js";
import { classifyAttempt } from "./classify.js";
import { timestampMillis } from "./timestamps.js";
import { CATEGORIES, type Category } from "./types.js";

/** One attempt as remembered. `category` for failed attempts; `response` only on sample candidates. */
export interface RememberedAttempt {
  id: string;
  eventId: string;
  eventType: string;
  webhookId: string;
  url: string;
  successful: boolean;
  attempt: number;
  attemptedAt: string;
  ms: number;
  statusCode: number | null;
  category?: Category;
  response?: string;
}

/** The failure a stored attempt was classified as, and its kept text ("" when not kept or none). */
export interface RecordedFailure {
  category: Category;
  response: string;
}

const sampleKey = (record: RememberedAttempt) => `${record.category}|${record.statusCode ?? 0}|${record.eventType}`;

/** The aggregator's sample order: text first, then newer, then the larger id. */
function beats(a: { ms: number; id: string; text: string }, b: { ms: number; id: string; text: string }): boolean {
  if ((a.text !== "") !== (b.text !== "")) return a.text !== "";
  return a.ms > b.ms || (a.ms === b.ms && a.id > b.id);
}

/**
 * Remembered attempts by id, with the sample candidates kept up to date as attempts come in: only the best
 * of each (category, status, type) keeps its text. Any window cut from below (since, expiry) keeps or drops
 * that best one together with every older one of its key, so the group samples of any window stay exact.
 */
export class RememberedAttempts {
  readonly byId = new Map<string, RememberedAttempt>();
  private readonly best = new Map<string, RememberedAttempt>();
  /** Some attempt read had no readable time: what was read cannot be remembered as a whole. */
  untimed = false;

  /** Adds an attempt read from Exa; classifies it, and cleans its body only when it may become a sample. */
  addRead(attempt: WebhookAttempt, ms = timestampMillis(attempt.attemptedAt)): void {
    if (this.byId.has(attempt.id)) return;
    // An attempt whose time is not one (a hostile or broken peer) cannot be filed by day: nothing is kept.
    if (!Number.isFinite(ms)) {
      this.untimed = true;
      return;
    }
    const record: RememberedAttempt = {
      id: attempt.id,
      eventId: attempt.eventId,
      eventType: attempt.eventType,
      webhookId: attempt.webhookId,
      url: attempt.url,
      successful: attempt.successful,
      attempt: attempt.attempt,
      attemptedAt: attempt.attemptedAt,
      ms,
      statusCode: attempt.responseStatusCode ?? null,
    };
    if (!attempt.successful) {
      record.category = classifyAttempt(attempt);
      const current = this.best.get(sampleKey(record));
      // Cleaning is the costly part: an older attempt cannot beat a kept one that has text.
      const couldWin = !current || current.response === "" || ms >= current.ms;
      this.offer(record, couldWin ? sanitizeResponseText(attempt.responseBody) : "");
    }
    this.byId.set(record.id, record);
  }

  /** Adds an attempt as stored (its text, if any, is already clean). */
  addStored(record: RememberedAttempt): void {
    if (this.byId.has(record.id)) return;
    if (!record.successful) this.offer(record, record.response ?? "");
    this.byId.set(record.id, record);
  }

  private offer(record: RememberedAttempt, text: string): void {
    const key = sampleKey(record);
    const current = this.best.get(key);
    const currentText = current?.response ?? "";
    if (current && !beats({ ms: record.ms, id: record.id, text }, { ...current, text: currentText })) return;
    if (current) delete current.response;
    record.response = text;
    this.best.set(key, record);
  }

  /** Forgets attempts older than `ms` (Exa no longer has them); returns them. */
  dropOlderThan(ms: number): RememberedAttempt[] {
    const dropped: RememberedAttempt[] = [];
    for (const [id, record] of this.byId) {
      if (record.ms >= ms) continue;
      this.byId.delete(id);
      dropped.push(record);
      const key = record.successful ? undefined : sampleKey(record);
      if (key !== undefined && this.best.get(key) === record) this.best.delete(key);
    }
    return dropped;
  }

  recordedFailure(id: string): RecordedFailure | undefined {
    const record = this.byId.get(id);
    if (!record?.category) return undefined;
    return { category: record.category, response: record.response ?? "" };
  }

  /** The records of one outcome, newest first (ties by id, larger first). */
  newestFirst(successful?: boolean): RememberedAttempt[] {
    const out: RememberedAttempt[] = [];
    for (const record of this.byId.values())
      if (successful === undefined || record.successful === successful) out.push(record);
    return out.sort((a, b) => b.ms - a.ms || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }
}

// ---- the stored form: one JSON blob per (webhook, outcome), columns by dictionary ----

const FORMAT_VERSION = 1;

/** [id, eventId, type index, url index, attemptedAt, attempt, status, category index or -1] */
type Row = [string, string, number, number, string, number, number | null, number];

export interface StoredChain {
  v: typeof FORMAT_VERSION;
  /** The webhook's createdAt when it was remembered: a different one is another webhook (start over). */
  webhookCreatedAt: string | null;
  types: string[];
  urls: string[];
  rows: Row[];
  /** Kept sample texts by attempt id. */
  samples: Record<string, string>;
}

/** The records of one outcome in their stored form. */
/** `redact`: no secret the server knows is kept, even one a receiver echoed into a sample. */
export function toStoredChain(
  records: readonly RememberedAttempt[],
  webhookCreatedAt: string | null,
  redact: (text: string) => string = (text) => text,
): StoredChain {
  const types = new Map<string, number>();
  const urls = new Map<string, number>();
  const indexOf = (map: Map<string, number>, value: string) => {
    let index = map.get(value);
    if (index === undefined) {
      index = map.size;
      map.set(value, index);
    }
    return index;
  };
  const samples: Record<string, string> = {};
  const rows = records.map((r): Row => {
    if (r.response) samples[r.id] = redact(r.response);
    return [
      r.id,
      r.eventId,
      indexOf(types, r.eventType),
      indexOf(urls, r.url),
      r.attemptedAt,
      r.attempt,
      r.statusCode,
      r.category === undefined ? -1 : CATEGORIES.indexOf(r.category),
    ];
  });
  return { v: FORMAT_VERSION, webhookCreatedAt, types: [...types.keys()], urls: [...urls.keys()], rows, samples };
}

/**
 * Reads a stored chain back; undefined when it is not one this version wrote (then the scan starts over).
 * `successful` is the outcome the blob was stored under.
 */
export function fromStoredChain(
  stored: unknown,
  webhookId: string,
  successful: boolean,
): { webhookCreatedAt: string | null; records: RememberedAttempt[] } | undefined {
  const chain = stored as Partial<StoredChain> | null;
  if (!chain || chain.v !== FORMAT_VERSION || !Array.isArray(chain.rows)) return undefined;
  const types = chain.types ?? [];
  const urls = chain.urls ?? [];
  const samples = chain.samples ?? {};
  const records: RememberedAttempt[] = [];
  for (const row of chain.rows) {
    if (!Array.isArray(row) || row.length !== 8) return undefined;
    const [id, eventId, typeIndex, urlIndex, attemptedAt, attempt, statusCode, categoryIndex] = row;
    const eventType = types[typeIndex];
    const url = urls[urlIndex];
    const ms = timestampMillis(attemptedAt);
    if (eventType === undefined || url === undefined || typeof id !== "string" || !Number.isFinite(ms))
      return undefined;
    const record: RememberedAttempt = {
      id,
      eventId,
      eventType,
      webhookId,
      url,
      successful,
      attempt,
      attemptedAt,
      ms,
      statusCode,
    };
    const category = CATEGORIES[categoryIndex];
    if (!successful) {
      if (category === undefined) return undefined;
      record.category = category;
      const text = samples[id];
      if (text !== undefined) record.response = text;
    }
    records.push(record);
  }
  return { webhookCreatedAt: chain.webhookCreatedAt ?? null, records };
}

/** A remembered attempt as the attempts endpoint serves it (the body is the kept text, or none). */
export function asWebhookAttempt(record: RememberedAttempt): WebhookAttempt {
  return {
    id: record.id,
    object: "webhook_attempt",
    eventId: record.eventId,
    eventType: record.eventType,
    webhookId: record.webhookId,
    url: record.url,
    successful: record.successful,
    responseBody: record.response ? record.response : null,
    responseStatusCode: record.statusCode,
    attempt: record.attempt,
    attemptedAt: record.attemptedAt,
  };
}
