// The redelivery ledger folded into a diagnosis' missed events: which of them a redelivery got accepted
// (recovered, newest first) and how many are still outstanding. Pure: the caller reads the ledger. The verdict
// and the event counts stay Exa's own; the missed-id lists keep only what is outstanding, which is exactly
// what redeliver_events {undelivered:true} plans.
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

export function foldRedeliveries(d: WebhookDiagnosis, view: LedgerView): WebhookDiagnosis {
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
