// Where the incremental scan's remembered attempts live in the store: per webhook, outcome and UTC day (event
// type "*@<day>") one stored chain (incremental-records.ts), under an index (event type "*") that lists the
// days, so new attempts rewrite only their own days, not the whole history. Each save writes a new write id
// into both indexes; while the store still names it, this process's decoded copy (incremental-kept.ts) is used
// instead of reading the days back.
import { setImmediate as nextTurn } from "node:timers/promises";
import type { HistoryPlace } from "./incremental-history.js";
import { KeptScans, keptKey, newWriteId } from "./incremental-kept.js";
import { byNewest, type RememberedAttempt, RememberedAttempts } from "./incremental-records.js";
import { fromStoredChain, toStoredChain } from "./incremental-stored.js";
import { SUCCESS_FLAGS } from "./partitions.js";
import { timestampMillis } from "./timestamps.js";

/** The store key's event type for chains of every type. */
const EVERY_TYPE = "*";
export const DAY_MS = 86_400_000;

/** A UTC day as a number (cheap for every attempt); named only for the days written. */
export const dayNumber = (ms: number) => Math.floor(ms / DAY_MS);
export const dayName = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

interface DayIndex {
  v: 1;
  webhookCreatedAt: string | null;
  /** Newest first. */
  days: string[];
  /** New on every save (absent before this version wrote it): names what a process kept. */
  writeId?: string;
}

/** What this process kept of each webhook's remembered attempts, under the write id it saved. */
const keptScans = new KeptScans<RememberedScan>();

/** What the store remembers of a webhook, and the newest attempt of each outcome (where its chain stops). */
export interface RememberedScan {
  remembered: RememberedAttempts;
  newestMs: Map<boolean, number>;
  rememberedAt: Date;
  count: number;
}

const outcomeName = (successful: boolean) => (successful ? "successful" : "failed");

export const keyOf = (place: HistoryPlace, successful: boolean, day?: string) => ({
  account: place.account,
  webhookId: place.webhookId,
  eventType: day === undefined ? EVERY_TYPE : `${EVERY_TYPE}@${day}`,
  outcome: outcomeName(successful),
});

/** Each outcome's index: its days, and its newest attempt's time as saved (where the new attempts end). */
export interface DayIndexes {
  days: Map<boolean, string[]>;
  savedNewestMs: Map<boolean, number>;
  rememberedAt: Date;
  /**
   * The indexes' write id and content as one string (indexStamp); undefined when they name different write ids
   * (a save under way elsewhere) or none (an older version wrote them).
   */
  writeId: string | undefined;
}

/**
 * Each outcome's index; "none" when nothing is remembered of this webhook (or of another one that had its
 * id: it starts over), "unreadable" when an index is not in the format this version writes.
 */
export async function readDayIndexes(
  place: HistoryPlace,
  createdAt: string | null,
): Promise<DayIndexes | "none" | "unreadable"> {
  const days = new Map<boolean, string[]>();
  const savedNewestMs = new Map<boolean, number>();
  let rememberedAt: Date | undefined;
  const writeIds = new Set<string | undefined>();
  const stamped: string[] = [];
  for (const successful of SUCCESS_FLAGS) {
    const checkpoint = await place.history.getCheckpoint(keyOf(place, successful));
    if (!checkpoint) return "none";
    const index = checkpoint.aggregate as Partial<DayIndex> | undefined;
    if (index?.v !== 1 || !Array.isArray(index.days)) return "unreadable";
    if (index.webhookCreatedAt !== createdAt) return "none";
    days.set(successful, index.days);
    writeIds.add(typeof index.writeId === "string" ? index.writeId : undefined);
    stamped.push(indexStamp(checkpoint.newestAttemptAt, index.days));
    savedNewestMs.set(successful, timestampMillis(checkpoint.newestAttemptAt));
    if (!rememberedAt || checkpoint.updatedAt < rememberedAt) rememberedAt = checkpoint.updatedAt;
  }
  const [savedWriteId] = writeIds;
  const writeId = writeIds.size === 1 && savedWriteId ? [savedWriteId, ...stamped].join("\n") : undefined;
  return { days, savedNewestMs, rememberedAt: rememberedAt ?? new Date(0), writeId };
}

/** An index as a string: a kept copy is used only while the store's indexes are exactly the ones saved with it. */
const indexStamp = (newestAttemptAt: string, days: readonly unknown[]) => `${newestAttemptAt} ${days.join(",")}`;

/**
 * The remembered attempts: this process's copy while the store names the write id it was kept under, else the
 * days read back (loadDays). The copy is handed over, not shared: keepRemembered puts it back once saved.
 */
export async function takeRemembered(place: HistoryPlace, indexes: DayIndexes): Promise<RememberedScan | undefined> {
  const kept = keptScans.take(keptKey(place), indexes.writeId);
  if (kept) return { ...kept, rememberedAt: indexes.rememberedAt };
  return loadDays(place, indexes);
}

/** Keeps `remembered` in this process as what the store holds under `writeId` (saveRemembered's). */
export function keepRemembered(place: HistoryPlace, remembered: RememberedAttempts, writeId: string): void {
  if (place.redact) remembered.redactSamples(place.redact);
  const newestMs = new Map<boolean, number>(SUCCESS_FLAGS.map((successful) => [successful, Number.NEGATIVE_INFINITY]));
  for (const record of remembered.byId.values())
    if (record.ms > (newestMs.get(record.successful) as number)) newestMs.set(record.successful, record.ms);
  const count = remembered.byId.size;
  keptScans.put(keptKey(place), writeId, count, { remembered, newestMs, rememberedAt: new Date(0), count });
}

/**
 * The remembered attempts of the days the indexes list; undefined when a day is missing or unreadable.
 * Yields to the event loop between days, so requests made meanwhile (the new attempts) are answered.
 */
export async function loadDays(place: HistoryPlace, indexes: DayIndexes): Promise<RememberedScan | undefined> {
  const remembered = new RememberedAttempts();
  const newestMs = new Map<boolean, number>();
  for (const successful of SUCCESS_FLAGS) {
    // From the records read, not the index: two processes saving at once may leave an index newer than a day
    // another one wrote, and the chain must then read again what that day lacks.
    let newest = Number.NEGATIVE_INFINITY;
    for (const day of indexes.days.get(successful) ?? []) {
      await nextTurn();
      const segment = await place.history.getCheckpoint(keyOf(place, successful, day));
      const chain = segment && fromStoredChain(segment.aggregate, place.webhookId, successful);
      if (!chain) return undefined;
      for (const record of chain.records) {
        remembered.addStored(record);
        if (record.ms > newest) newest = record.ms;
      }
    }
    newestMs.set(successful, newest);
  }
  return { remembered, newestMs, rememberedAt: indexes.rememberedAt, count: remembered.byId.size };
}

/**
 * Writes the days in `changed` (day numbers; all when undefined) and each outcome's index; returns what
 * readDayIndexes will read as their write id while nobody else writes.
 */
export async function saveRemembered(
  place: HistoryPlace,
  remembered: RememberedAttempts,
  createdAt: string | null,
  changed?: ReadonlySet<number>,
): Promise<string> {
  const writeId = newWriteId();
  const stamped: string[] = [];
  for (const successful of SUCCESS_FLAGS) {
    const days = new Set<number>();
    const toWrite = new Map<number, RememberedAttempt[]>();
    let newest: RememberedAttempt | undefined;
    for (const record of remembered.byId.values()) {
      if (record.successful !== successful) continue;
      const day = dayNumber(record.ms);
      days.add(day);
      if (!newest || byNewest(record, newest) < 0) newest = record;
      if (changed && !changed.has(day)) continue;
      const list = toWrite.get(day);
      if (list) list.push(record);
      else toWrite.set(day, [record]);
    }
    for (const [day, dayRecords] of toWrite) {
      const aggregate = toStoredChain(dayRecords.sort(byNewest), createdAt, place.redact);
      await place.history.putCheckpoint(keyOf(place, successful, dayName(day)), {
        newestAttemptId: "",
        newestAttemptAt: "",
        aggregate,
      });
    }
    const index: DayIndex = {
      v: 1,
      webhookCreatedAt: createdAt,
      days: [...days].sort((a, b) => b - a).map(dayName),
      writeId,
    };
    const newestAttemptAt = newest?.attemptedAt ?? "";
    await place.history.putCheckpoint(keyOf(place, successful), {
      newestAttemptId: newest?.id ?? "",
      newestAttemptAt,
      aggregate: index,
    });
    stamped.push(indexStamp(newestAttemptAt, index.days));
  }
  return [writeId, ...stamped].join("\n");
}
