// Where the incremental scan's remembered attempts live in the store: per webhook, outcome and UTC day (event
// type "*@<day>") one stored chain (incremental-records.ts), under an index (event type "*") that lists the
// days, so new attempts rewrite only their own days, not the whole history.
import type { HistoryPlace } from "./incremental-history.js";
import { byNewest, type RememberedAttempt, RememberedAttempts } from "./incremental-records.js";
import { fromStoredChain, toStoredChain } from "./incremental-stored.js";
import { SUCCESS_FLAGS } from "./partitions.js";

/** The store key's event type for chains of every type. */
const EVERY_TYPE = "*";
const DAY_MS = 86_400_000;

/** A UTC day as a number (cheap for every attempt); named only for the days written. */
export const dayNumber = (ms: number) => Math.floor(ms / DAY_MS);
const dayName = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

interface DayIndex {
  v: 1;
  webhookCreatedAt: string | null;
  /** Newest first. */
  days: string[];
}

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

/** Undefined when nothing (or another format, or another webhook that had this id) is remembered. */
export async function loadRemembered(
  place: HistoryPlace,
  createdAt: string | null,
): Promise<RememberedScan | undefined> {
  const remembered = new RememberedAttempts();
  const newestMs = new Map<boolean, number>();
  let rememberedAt: Date | undefined;
  for (const successful of SUCCESS_FLAGS) {
    const checkpoint = await place.history.getCheckpoint(keyOf(place, successful));
    const index = checkpoint?.aggregate as Partial<DayIndex> | undefined;
    if (!checkpoint || index?.v !== 1 || !Array.isArray(index.days) || index.webhookCreatedAt !== createdAt)
      return undefined;
    // From the records read, not the index: two processes saving at once may leave an index newer than a day
    // another one wrote, and the chain must then read again what that day lacks.
    let newest = Number.NEGATIVE_INFINITY;
    for (const day of index.days) {
      const segment = await place.history.getCheckpoint(keyOf(place, successful, day));
      const chain = segment && fromStoredChain(segment.aggregate, place.webhookId, successful);
      if (!chain) return undefined;
      for (const record of chain.records) {
        remembered.addStored(record);
        if (record.ms > newest) newest = record.ms;
      }
    }
    newestMs.set(successful, newest);
    if (!rememberedAt || checkpoint.updatedAt < rememberedAt) rememberedAt = checkpoint.updatedAt;
  }
  return { remembered, newestMs, rememberedAt: rememberedAt ?? new Date(0), count: remembered.byId.size };
}

/** Writes the days in `changed` (day numbers; all when undefined) and each outcome's index. */
export async function saveRemembered(
  place: HistoryPlace,
  remembered: RememberedAttempts,
  createdAt: string | null,
  changed?: ReadonlySet<number>,
): Promise<void> {
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
    };
    await place.history.putCheckpoint(keyOf(place, successful), {
      newestAttemptId: newest?.id ?? "",
      newestAttemptAt: newest?.attemptedAt ?? "",
      aggregate: index,
    });
  }
}
