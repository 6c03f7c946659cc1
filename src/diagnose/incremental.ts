// Incremental diagnosis: a webhook's attempts are read from Exa once; later diagnoses read only the newer ones
// and diagnose the remembered ones with them, through the same scan, so the result equals a fresh scan.
//
// The store keeps, per webhook, outcome and UTC day (incremental-days.ts), the attempts a complete scan folded in
// (incremental-records.ts) and the newest of them. A later call pages each outcome's unfiltered chain, newest
// first, and stops at the first attempt it already has (or one older than the newest it has): 1,000 new
// attempts cost ~6 pages. Remembered attempts older than Exa's retention are dropped, so they leave the
// diagnosis when they leave Exa (they stay in the hourly history). Then the ordinary scan (scan.ts) runs
// over the remembered attempts served from memory, with any `since` and eventType, and the real events
// source for the never-attempted check.
//
// Only a complete unfiltered scan (no since, no eventType, nothing cut) is remembered; other scans build on
// one when there is one. Assumed of Exa: an attempt is listed once it is made (none appears later with an
// older attemptedAt), and attempts are kept as long as events (60 days). A store that cannot open or fails
// gives a plain full scan and a note saying why nothing is remembered.
import { EVENT_RETENTION_MS } from "../exa/retention.js";
import type { AccountMemory, History } from "../store/types.js";
import { notRememberedBecause } from "../store/unavailable.js";
import { dayNumber, keepRemembered, readDayIndexes, saveRemembered, takeRemembered } from "./incremental-days.js";
import { loadEvents, saveEvents } from "./incremental-events-days.js";
import { type HistoryPlace, hourlyBuckets, readHistory, recordVerdict } from "./incremental-history.js";
import { readEarlyPages, readNewAttempts } from "./incremental-newer.js";
import { RememberedAttempts } from "./incremental-records.js";
import { rememberedAttemptSource } from "./incremental-source.js";
import { type AttemptPageSource, NEW_EVENT_GRACE_MS, type ScanOptions, scanWebhookAttempts } from "./scan.js";
import type { WebhookDiagnosis, WebhookHistory } from "./types.js";

/** Attempts are assumed kept as long as events: Exa documents 60 days for events, nothing for attempts. */
export const ATTEMPT_RETENTION_MS = EVENT_RETENTION_MS;

/** The store to build on, or why there is none ("…is not kept because <because>"). */
export type DiagnoseMemory =
  | {
      kind: "store";
      history: History;
      account: string;
      /** Cleans what is kept of a receiver's text (a group's sample) of every secret the server knows. */
      redact?: (text: string) => string;
    }
  | { kind: "unavailable"; because: string };

/** The memory a tool call has (ToolContext.memory), as the diagnosis uses it. */
export async function diagnoseMemory(context: {
  memory(): Promise<AccountMemory>;
  redact(text: string): string;
}): Promise<DiagnoseMemory> {
  const memory = await context.memory();
  if (memory.ok)
    return { kind: "store", history: memory.store.history, account: memory.account, redact: context.redact };
  return { kind: "unavailable", because: notRememberedBecause(memory.unavailable) };
}

export interface IncrementalOptions extends ScanOptions {
  /** Undefined = no store configured (same as unavailable, with a generic reason). */
  memory: DiagnoseMemory | undefined;
  /**
   * Record a change of verdict in the history (default true). Only unfiltered diagnoses (no since, no
   * eventType) record one, since a window's verdict is not the webhook's.
   */
  recordTransitions?: boolean;
}

export interface IncrementalDiagnosis {
  /** Carries `memory` (how the store was used) and, with a store, `history`. */
  diagnosis: WebhookDiagnosis;
  history: WebhookHistory | undefined;
}

/** One webhook's diagnosis, built on what the store remembers of it; remembers the result for next time. */
export async function diagnoseIncrementally(options: IncrementalOptions): Promise<IncrementalDiagnosis> {
  const memory = options.memory;
  if (memory?.kind !== "store") {
    const because = memory?.because ?? "no store is configured";
    const diagnosis = await scanWebhookAttempts(options);
    diagnosis.memory = { kind: "off", because };
    return { diagnosis, history: undefined };
  }
  const place: HistoryPlace = {
    history: memory.history,
    account: memory.account,
    webhookId: options.webhook.id,
    ...(memory.redact ? { redact: memory.redact } : {}),
  };
  const now = new Date(options.now ?? Date.now());
  try {
    const diagnosis = await diagnoseWithStore(options, place, now);
    const unfiltered = options.since === undefined && options.eventType === undefined;
    if (unfiltered && options.recordTransitions !== false) await recordVerdict(place, diagnosis, now);
    const history = await readHistory(place, now);
    diagnosis.history = history;
    return { diagnosis, history };
  } catch (error) {
    if ((error as Error)?.name !== "StoreOperationError") throw error;
    // The store failed mid-way: the diagnosis does not depend on it.
    const diagnosis = await scanWebhookAttempts(options);
    diagnosis.memory = { kind: "off", because: `the store failed (${(error as Error).message})` };
    return { diagnosis, history: undefined };
  }
}

async function diagnoseWithStore(options: IncrementalOptions, place: HistoryPlace, now: Date) {
  const createdAt = options.webhook.createdAt ?? null;
  const loaded = await loadEvents(place, createdAt);
  const events = loaded.events;
  events.dropOlderThan(now.getTime() - EVENT_RETENTION_MS);
  // The scan's window ends NEW_EVENT_GRACE_MS before its now, which is this call's: the events created since
  // the last listing are read while the store is, so the scan's listing is answered from memory.
  const scanOptions = { ...options, now: now.getTime() };
  const eventTypes = [...new Set(options.webhook.events ?? [])];
  const newerEvents = options.events
    ? events.readNewer(options.events, eventTypes, now.getTime() - NEW_EVENT_GRACE_MS, requestSignal(options))
    : undefined;
  const withEvents = options.events ? { ...scanOptions, events: events.source(options.events) } : scanOptions;
  const diagnosis = await diagnoseAttempts(withEvents, place, now, newerEvents);
  await saveEvents(place, loaded, createdAt);
  return diagnosis;
}

/** `newerEvents`: the events read beside the store, awaited before any scan lists them. */
async function diagnoseAttempts(
  options: IncrementalOptions,
  place: HistoryPlace,
  now: Date,
  newerEvents: Promise<void> | undefined,
) {
  const { webhook } = options;
  const createdAt = webhook.createdAt ?? null;
  const horizonMs = now.getTime() - ATTEMPT_RETENTION_MS;
  const indexes = await readDayIndexes(place, createdAt);
  if (indexes === "none" || indexes === "unreadable") {
    await newerEvents;
    return fullScan(options, place, createdAt, indexes === "none" ? "first" : "unreadable");
  }
  const chains = { webhookId: webhook.id, source: options.source, signal: requestSignal(options) };
  // The first new pages are asked for now: their round trips pass while the store's days are read.
  const stopEarly = new AbortController();
  const early = readEarlyPages(
    { ...chains, signal: AbortSignal.any([chains.signal, stopEarly.signal]) },
    indexes.savedNewestMs,
  );
  let stored: Awaited<ReturnType<typeof takeRemembered>>;
  try {
    stored = await takeRemembered(place, indexes);
  } finally {
    // Unreadable, or the store failed: the scan in full reads from the top, and those pages are not needed.
    if (!stored) stopEarly.abort();
  }
  if (!stored) {
    await newerEvents;
    return fullScan(options, place, createdAt, "unreadable");
  }
  const dropped = stored.remembered.dropOlderThan(horizonMs);
  const read = await readNewAttempts(chains, stored, early);
  if (!read) options.signal?.throwIfAborted();
  await newerEvents;
  if (read && !stored.remembered.untimed && withinCap(stored.remembered, options)) {
    const diagnosis = await scanWebhookAttempts({
      ...options,
      source: rememberedAttemptSource(stored.remembered),
      eventsFirst: true,
      recorded: (id) => stored.remembered.recordedFailure(id),
    });
    diagnosis.memory = {
      kind: "incremental",
      newPages: read.pages,
      newAttempts: read.added.length,
      rememberedAttempts: stored.count,
      rememberedAt: stored.rememberedAt.toISOString(),
    };
    let writeId = indexes.writeId;
    if (read.added.length > 0 || dropped.length > 0) {
      const changed = new Set([...read.added, ...dropped].map((record) => dayNumber(record.ms)));
      writeId = await saveRemembered(place, stored.remembered, createdAt, changed);
    }
    if (read.added.length > 0)
      await place.history.putBuckets(place.account, webhook.id, hourlyBuckets(read.added), "add");
    if (writeId !== undefined) keepRemembered(place, stored.remembered, writeId);
    return diagnosis;
  }
  // Reading the new attempts failed, or more are remembered than the cap allows: a fresh scan says it right.
  const why = !read ? "readFailed" : stored.remembered.untimed ? "untimed" : "capped";
  return fullScan(options, place, createdAt, why);
}

/** A fresh scan, remembered when it read the whole history without a filter. */
async function fullScan(
  options: IncrementalOptions,
  place: HistoryPlace,
  createdAt: string | null,
  why: "first" | "capped" | "readFailed" | "untimed" | "unreadable",
): Promise<WebhookDiagnosis> {
  const remembered = new RememberedAttempts();
  const filtered = options.since !== undefined || options.eventType !== undefined;
  const source: AttemptPageSource = filtered
    ? options.source
    : async (query, signal) => {
        const page = await options.source(query, signal);
        for (const attempt of page.data) remembered.addRead(attempt);
        return page;
      };
  const diagnosis = await scanWebhookAttempts({ ...options, source });
  const attemptsCut = (diagnosis.incompleteCauses ?? []).some((c) => c.kind !== "eventsCut");
  const reason = options.since !== undefined ? "since" : options.eventType !== undefined ? "eventType" : why;
  if (filtered || attemptsCut || remembered.untimed) {
    const notKept = remembered.untimed && !filtered ? "untimed" : attemptsCut && !filtered ? "incomplete" : reason;
    diagnosis.memory = { kind: "full", remembered: false, reason: notKept };
    return diagnosis;
  }
  const writeId = await saveRemembered(place, remembered, createdAt);
  // Every retained attempt was read: the hours it covers are replaced, not added to (a lost checkpoint
  // must not count its attempts twice).
  await place.history.putBuckets(place.account, place.webhookId, hourlyBuckets(remembered.byId.values()), "replace");
  keepRemembered(place, remembered, writeId);
  diagnosis.memory = { kind: "full", remembered: true, reason: why };
  return diagnosis;
}

/** The client's cancellation and the time budget, for the requests made outside the scan. */
function requestSignal(options: IncrementalOptions): AbortSignal {
  return AbortSignal.any([
    options.signal ?? new AbortController().signal,
    ...(options.deadline === undefined
      ? []
      : [AbortSignal.timeout(Math.max(0, Math.ceil(options.deadline - Date.now())))]),
  ]);
}

/** Whether the attempts the scan would fold fit under maxAttempts (else a fresh scan, cut like any other). */
function withinCap(remembered: RememberedAttempts, options: IncrementalOptions): boolean {
  if (options.since === undefined && options.eventType === undefined)
    return remembered.byId.size <= options.maxAttempts;
  const sinceMs = options.since?.getTime() ?? -Infinity;
  let inWindow = 0;
  for (const record of remembered.byId.values()) {
    if (record.ms >= sinceMs && (options.eventType === undefined || record.eventType === options.eventType)) inWindow++;
  }
  return inWindow <= options.maxAttempts;
}
