// The redelivery ledger folded into a diagnosis' missed events: which of them a redelivery got accepted
// (recovered, newest first) and how many are still outstanding. Pure: the caller reads the ledger. The verdict
// and the event counts stay Exa's own; the missed-id lists keep only what is outstanding, which is exactly
// what redeliver_events {undelivered:true} plans. readLedgerViews reads the ledger for it.
import { type AccountMemory, notRememberedBecause } from "../store/index.js";
import { MISSED_IDS_SHOWN, type RedeliveryFold, type WebhookDiagnosis } from "./types.js";

/** What the ledger knows of one webhook, or why it could not be read. */
export type LedgerView =
  | {
      /** Accepted by a redelivery (any target), one per event, newest first. */
      recovered: readonly { eventId: string; acceptedAt: Date }[];
      /** Claimed by a redelivery and never recorded. */
      unknown: ReadonlySet<string>;
    }
  | { unread: string };

const NOTHING_REDELIVERED: LedgerView = { recovered: [], unknown: new Set() };

/**
 * What the ledger knows of each webhook with missed events. The store opens only when some webhook has missed
 * events; one that cannot open, or fails a read, is the view's `unread` reason (the diagnosis still stands).
 */
export async function readLedgerViews(
  diagnoses: readonly WebhookDiagnosis[],
  memory: () => Promise<AccountMemory>,
): Promise<Map<string, LedgerView>> {
  const views = new Map<string, LedgerView>();
  const missing = diagnoses.filter((d) => d.events.undelivered + d.events.neverAttempted > 0);
  if (missing.length === 0) return views;
  const opened = await memory();
  if (!opened.ok) {
    const unread = `redeliveries are not remembered because ${notRememberedBecause(opened.unavailable)}`;
    for (const d of missing) views.set(d.webhookId, { unread });
    return views;
  }
  const { ledger } = opened.store;
  for (const d of missing) {
    try {
      const [recovered, unrecorded] = await Promise.all([
        ledger.recovered(opened.account, d.webhookId),
        ledger.unrecorded(opened.account, d.webhookId),
      ]);
      views.set(d.webhookId, { recovered, unknown: new Set(unrecorded.map((entry) => entry.eventId)) });
    } catch (error) {
      views.set(d.webhookId, {
        unread: `the redelivery ledger could not be read (${(error as Error).message}), so recovered events are not known`,
      });
    }
  }
  return views;
}

export function foldRedeliveries(d: WebhookDiagnosis, view: LedgerView = NOTHING_REDELIVERED): WebhookDiagnosis {
  const missed = d.events.undelivered + d.events.neverAttempted;
  const recovered = "recovered" in view ? view.recovered : [];
  const missedIds = new Set([...d.missedEvents.undelivered, ...d.missedEvents.neverAttempted]);
  const recoveredHere = recovered.filter((event) => missedIds.has(event.eventId));
  const isRecovered = new Set(recoveredHere.map((event) => event.eventId));
  const undelivered = d.missedEvents.undelivered.filter((id) => !isRecovered.has(id));
  const neverAttempted = d.missedEvents.neverAttempted.filter((id) => !isRecovered.has(id));
  const outstanding = Math.max(0, missed - recoveredHere.length);
  const outstandingUndelivered = Math.max(
    0,
    d.events.undelivered - (d.missedEvents.undelivered.length - undelivered.length),
  );
  const newest = recoveredHere[0]?.acceptedAt;
  const fold: RedeliveryFold = {
    recovered: recoveredHere.length,
    ...(newest ? { newestAt: newest.toISOString().replace(/\.\d{3}Z$/, "Z") } : {}),
    outstandingUndelivered,
    outstandingNeverAttempted: Math.max(0, outstanding - outstandingUndelivered),
    unknown: "unknown" in view ? [...undelivered, ...neverAttempted].filter((id) => view.unknown.has(id)).length : 0,
    ...("unread" in view ? { unread: view.unread } : {}),
  };
  const shownUndelivered = undelivered.slice(0, MISSED_IDS_SHOWN);
  const shownNever = neverAttempted.slice(0, MISSED_IDS_SHOWN);
  return {
    ...d,
    missedEvents: {
      undelivered: shownUndelivered,
      neverAttempted: shownNever,
      truncated:
        shownUndelivered.length < fold.outstandingUndelivered || shownNever.length < fold.outstandingNeverAttempted,
      recovered: recoveredHere.slice(0, MISSED_IDS_SHOWN).map((event) => event.eventId),
      outstanding,
    },
    redelivery: fold,
  };
}
