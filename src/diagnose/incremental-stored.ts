// The stored form of remembered attempts (incremental-records.ts): one JSON blob per (webhook, outcome, day),
// column by column (one array per field, type and URL by dictionary), so reading 100k attempts back parses a
// few long arrays rather than an array per attempt. Version 1 (a row array per attempt) is still read.

import type { RememberedAttempt } from "./incremental-records.js";
import { timestampMillis } from "./timestamps.js";
import { CATEGORIES, type Category } from "./types.js";

const FORMAT_VERSION = 2;

export interface StoredChain {
  v: typeof FORMAT_VERSION;
  /** The webhook's createdAt when it was remembered: a different one is another webhook (start over). */
  webhookCreatedAt: string | null;
  types: string[];
  urls: string[];
  /** One entry per attempt in each, newest first. */
  ids: string[];
  eventIds: string[];
  typeIndexes: number[];
  urlIndexes: number[];
  attemptedAt: string[];
  /** attemptedAt parsed, so reading back parses no dates. */
  ms: number[];
  attempts: number[];
  statusCodes: (number | null)[];
  /** Index into CATEGORIES, -1 for a successful attempt. */
  categoryIndexes: number[];
  /** Kept sample texts by attempt id. */
  samples: Record<string, string>;
}

/** Version 1: [id, eventId, type index, url index, attemptedAt, attempt, status, category index or -1] */
type RowV1 = [string, string, number, number, string, number, number | null, number];

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
  const chain: StoredChain = {
    v: FORMAT_VERSION,
    webhookCreatedAt,
    types: [],
    urls: [],
    ids: [],
    eventIds: [],
    typeIndexes: [],
    urlIndexes: [],
    attemptedAt: [],
    ms: [],
    attempts: [],
    statusCodes: [],
    categoryIndexes: [],
    samples: {},
  };
  for (const r of records) {
    if (r.responseBody) chain.samples[r.id] = redact(r.responseBody);
    chain.ids.push(r.id);
    chain.eventIds.push(r.eventId);
    chain.typeIndexes.push(indexOf(types, r.eventType));
    chain.urlIndexes.push(indexOf(urls, r.url));
    chain.attemptedAt.push(r.attemptedAt);
    chain.ms.push(r.ms);
    chain.attempts.push(r.attempt);
    chain.statusCodes.push(r.responseStatusCode);
    chain.categoryIndexes.push(r.category === undefined ? -1 : CATEGORIES.indexOf(r.category));
  }
  chain.types = [...types.keys()];
  chain.urls = [...urls.keys()];
  return chain;
}

/** One attempt's stored fields, whichever version held them (one scratch object per chain, refilled per attempt). */
interface StoredFields {
  id: unknown;
  eventId: unknown;
  eventType: string | undefined;
  url: string | undefined;
  attemptedAt: unknown;
  ms: number;
  attempt: unknown;
  statusCode: unknown;
  category: Category | undefined;
}

/** A version's attempts: how many, and a function that fills the scratch fields with the i-th. */
interface StoredReader {
  count: number;
  fill(i: number, fields: StoredFields): void;
}

/**
 * Reads a stored chain back; undefined when it is not one this version can read (then the scan starts
 * over). `successful` is the outcome the blob was stored under.
 */
export function fromStoredChain(
  stored: unknown,
  webhookId: string,
  successful: boolean,
): { webhookCreatedAt: string | null; records: RememberedAttempt[] } | undefined {
  const chain = stored as (Partial<StoredChain> & { v?: unknown; rows?: unknown }) | null;
  const reader = chain?.v === FORMAT_VERSION ? columnsOf(chain) : chain?.v === 1 ? rowsOf(chain) : undefined;
  if (!chain || !reader) return undefined;
  const samples = chain.samples ?? {};
  const records: RememberedAttempt[] = [];
  const f: StoredFields = {
    id: undefined,
    eventId: undefined,
    eventType: undefined,
    url: undefined,
    attemptedAt: undefined,
    ms: Number.NaN,
    attempt: undefined,
    statusCode: undefined,
    category: undefined,
  };
  for (let i = 0; i < reader.count; i++) {
    reader.fill(i, f);
    const { id, eventId, eventType, url, attemptedAt, ms, attempt, statusCode } = f;
    if (typeof id !== "string" || typeof eventId !== "string" || eventType === undefined || url === undefined)
      return undefined;
    if (typeof attemptedAt !== "string" || !Number.isFinite(ms) || typeof attempt !== "number") return undefined;
    const record: RememberedAttempt = {
      id,
      object: "webhook_attempt",
      eventId,
      eventType,
      webhookId,
      url,
      successful,
      responseBody: null,
      responseStatusCode: typeof statusCode === "number" ? statusCode : null,
      attempt,
      attemptedAt,
      ms,
    };
    if (!successful) {
      if (f.category === undefined) return undefined;
      record.category = f.category;
      const text = samples[id];
      if (text) record.responseBody = text;
    }
    records.push(record);
  }
  return { webhookCreatedAt: chain.webhookCreatedAt ?? null, records };
}

function columnsOf(chain: Partial<StoredChain>): StoredReader | undefined {
  const { ids, eventIds, typeIndexes, urlIndexes, attemptedAt, ms, attempts, statusCodes, categoryIndexes } = chain;
  const types = chain.types ?? [];
  const urls = chain.urls ?? [];
  if (!Array.isArray(ids)) return undefined;
  for (const column of [eventIds, typeIndexes, urlIndexes, attemptedAt, ms, attempts, statusCodes, categoryIndexes])
    if (!Array.isArray(column) || column.length !== ids.length) return undefined;
  return {
    count: ids.length,
    fill(i, f) {
      f.id = ids[i];
      f.eventId = eventIds?.[i];
      f.eventType = types[typeIndexes?.[i] as number];
      f.url = urls[urlIndexes?.[i] as number];
      f.attemptedAt = attemptedAt?.[i];
      f.ms = ms?.[i] as number;
      f.attempt = attempts?.[i];
      f.statusCode = statusCodes?.[i];
      f.category = CATEGORIES[categoryIndexes?.[i] as number];
    },
  };
}

/** Version 1, as the previous release wrote it: a row per attempt, its time parsed here. */
function rowsOf(chain: { types?: string[]; urls?: string[]; rows?: unknown }): StoredReader | undefined {
  const rows = chain.rows;
  const types = chain.types ?? [];
  const urls = chain.urls ?? [];
  if (!Array.isArray(rows)) return undefined;
  return {
    count: rows.length,
    fill(i, f) {
      const row = rows[i] as RowV1 | undefined;
      const ok = Array.isArray(row) && row.length === 8;
      f.id = ok ? row[0] : undefined;
      f.eventId = row?.[1];
      f.eventType = ok ? types[row[2]] : undefined;
      f.url = ok ? urls[row[3]] : undefined;
      f.attemptedAt = row?.[4];
      f.ms = ok && typeof row[4] === "string" ? timestampMillis(row[4]) : Number.NaN;
      f.attempt = row?.[5];
      f.statusCode = row?.[6];
      f.category = ok ? CATEGORIES[row[7]] : undefined;
    },
  };
}
