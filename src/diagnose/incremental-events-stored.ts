// The stored form of the never-attempted check's remembered events (incremental-events.ts): column by column,
// so 100k events read back as a few arrays, with per type the spans of time whose events were all listed.
// Format 1 (a row per event) is still read.
import { timestampMillis } from "./timestamps.js";

export const EVENTS_FORMAT_VERSION = 2;

export type Span = [number, number];

/** Column by column, so 100k events read back as a few arrays (format 1, a row per event, is still read). */
export interface StoredEvents {
  v: typeof EVENTS_FORMAT_VERSION;
  /** The webhook's createdAt: another webhook under the same id starts over. */
  webhookCreatedAt: string | null;
  types: string[];
  ids: string[];
  typeIndexes: number[];
  createdAt: string[];
  /** createdAt parsed, so reading back parses no dates. */
  ms: number[];
  /** Per type, inclusive [fromMs, toMs] spans whose events were all listed. */
  covered: Record<string, Span[]>;
}

/** Format 1: [id, type index, createdAt] per event. */
type StoredEventsV1 = Omit<StoredEvents, "v" | "ids" | "typeIndexes" | "createdAt" | "ms"> & {
  v: 1;
  events: [string, number, string][];
};

/** The stored events as columns, whichever format held them; undefined when neither. */
export function columnsOf(stored: unknown): StoredEvents | undefined {
  const data = stored as Partial<StoredEvents> | Partial<StoredEventsV1> | null;
  if (data?.v === 1 && Array.isArray(data.events)) {
    const rows = data.events;
    return {
      v: EVENTS_FORMAT_VERSION,
      webhookCreatedAt: data.webhookCreatedAt ?? null,
      types: data.types ?? [],
      ids: rows.map((row) => row[0]),
      typeIndexes: rows.map((row) => row[1]),
      createdAt: rows.map((row) => row[2]),
      ms: rows.map((row) => timestampMillis(row[2])),
      covered: data.covered ?? {},
    };
  }
  if (data?.v !== EVENTS_FORMAT_VERSION) return undefined;
  const { ids, typeIndexes, createdAt, ms } = data;
  if (!Array.isArray(ids) || ![typeIndexes, createdAt, ms].every((c) => Array.isArray(c) && c.length === ids.length))
    return undefined;
  return data as StoredEvents;
}

/** Adds a span to sorted disjoint spans, merging touching ones (ms are whole). */
export function addSpan(spans: Span[], [from, to]: Span): Span[] {
  if (to < from) return spans;
  const out: Span[] = [];
  let merged: Span = [from, to];
  for (const span of spans) {
    if (span[1] + 1 < merged[0] || span[0] > merged[1] + 1) out.push(span);
    else merged = [Math.min(span[0], merged[0]), Math.max(span[1], merged[1])];
  }
  out.push(merged);
  return out.sort((a, b) => a[0] - b[0]);
}
