// Which events of one webhook were missed: what redeliver_events' `undelivered: true` stands on. One engine:
// a fresh diagnosis of that webhook (scanWebhookAttempts with the never-attempted check: the same
// partitions, since, time budget and concurrency as diagnose_failures) and its missedEvents — undelivered
// (failed attempts, none successful) and never attempted (events of its types that no attempt carries).

import { coveredWindow, incompleteReason } from "../diagnose/coverage.js";
import { type EventPageSource, scanWebhookAttempts } from "../diagnose/index.js";
import type { AttemptPageSource } from "../diagnose/scan.js";
import type { CutCause } from "../diagnose/types.js";
import type { Webhook } from "../exa/schemas.js";
import { plural } from "../text/words.js";

/** Attempts one discovery scans at most: the diagnosis default. */
const MAX_ATTEMPTS_SCANNED = 10_000;

interface MissedEventsQuery {
  webhook: Pick<Webhook, "id" | "url" | "status" | "events" | "createdAt" | "metadata">;
  source: AttemptPageSource;
  events: EventPageSource;
  since?: Date | undefined;
  /** At most this many ids in all: the undelivered first, then the never attempted, each newest first. */
  maxEvents: number;
  /** Events recovered by an earlier redelivery: missed by Exa, but not to be planned again. */
  recovered?: ReadonlySet<string>;
  concurrency: number;
  /** Epoch ms after which no page is requested. */
  deadline: number;
  signal: AbortSignal;
  onProgress?: (scanned: number, message: string) => void;
}

export interface MissedEvents {
  eventIds: string[];
  /** Missed events left out because an earlier redelivery recovered them. */
  recoveredIds: string[];
  /** How many of eventIds are undelivered; the rest were never attempted. */
  undelivered: number;
  neverAttempted: number;
  /** Missed events found beyond maxEvents. */
  truncated: number;
  /** False when the diagnosis could not read the whole window: some missed events may not be listed. */
  complete: boolean;
  /** What cut the diagnosis short (with since, when something else did too); empty when the window was read. */
  gaps: CutCause[];
  /** Event types whose never-attempted events could not be judged. */
  unjudgedTypes: number;
  attemptsScanned: number;
}

export async function findMissedEvents(query: MissedEventsQuery): Promise<MissedEvents> {
  const diagnosis = await scanWebhookAttempts({
    webhook: query.webhook,
    source: query.source,
    events: query.events,
    // Room for the recovered ones, which are dropped below.
    missedIdsLimit: query.maxEvents + (query.recovered?.size ?? 0),
    ...(query.since ? { since: query.since } : {}),
    maxAttempts: MAX_ATTEMPTS_SCANNED,
    concurrency: query.concurrency,
    senderIsLocal: true,
    deadline: query.deadline,
    signal: query.signal,
    ...(query.onProgress ? { onProgress: query.onProgress } : {}),
  });
  const { missedEvents, events } = diagnosis;
  const recovered = query.recovered ?? new Set<string>();
  const isOutstanding = (id: string) => !recovered.has(id);
  const missed = [...missedEvents.undelivered, ...missedEvents.neverAttempted];
  const outstandingUndelivered = missedEvents.undelivered.filter(isOutstanding);
  const eventIds = missed.filter(isOutstanding).slice(0, query.maxEvents);
  const recoveredIds = missed.filter((id) => recovered.has(id));
  const undelivered = Math.min(outstandingUndelivered.length, eventIds.length);
  const check = diagnosis.recovery?.neverAttempted;
  const unjudged = check?.kind === "listed" || check?.kind === "unjudged" ? check.unjudgedTypes : [];
  const gaps = coveredWindow(diagnosis.incompleteCauses) ? [] : [...(diagnosis.incompleteCauses ?? [])];
  return {
    eventIds,
    recoveredIds,
    undelivered,
    neverAttempted: eventIds.length - undelivered,
    truncated: Math.max(0, events.undelivered + events.neverAttempted - recoveredIds.length - eventIds.length),
    complete: gaps.length === 0 && unjudged.length === 0,
    gaps,
    unjudgedTypes: unjudged.length,
    attemptsScanned: diagnosis.attemptsScanned,
  };
}

/** Why the search may have missed some events, in words; undefined when it read everything. */
export function missedEventsGap(missed: Pick<MissedEvents, "gaps" | "unjudgedTypes">): string | undefined {
  const reasons: string[] = [];
  const cut = incompleteReason(missed.gaps);
  if (cut) reasons.push(cut);
  if (missed.unjudgedTypes > 0)
    reasons.push(`never-attempted events of ${plural(missed.unjudgedTypes, "event type")} could not be judged`);
  return reasons.length ? `the search for missed events was cut short (${reasons.join("; ")})` : undefined;
}
