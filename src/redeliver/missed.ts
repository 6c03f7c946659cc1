// Which events of one webhook were missed: what redeliver_events' `undelivered: true` stands on. One engine:
// a fresh diagnosis of that webhook (scanWebhookAttempts with the never-attempted check: the same
// partitions, since, time budget and concurrency as diagnose_failures) and its missedEvents — undelivered
// (failed attempts, none successful) and never attempted (events of its types that no attempt carries).

import { coveredWindow } from "../diagnose/coverage.js";
import { type EventPageSource, scanWebhookAttempts } from "../diagnose/index.js";
import type { AttemptPageSource } from "../diagnose/scan.js";
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
  concurrency: number;
  /** Epoch ms after which no page is requested. */
  deadline: number;
  signal: AbortSignal;
  onProgress?: (scanned: number, message: string) => void;
}

export interface MissedEvents {
  eventIds: string[];
  /** How many of eventIds are undelivered; the rest were never attempted. */
  undelivered: number;
  neverAttempted: number;
  /** Missed events found beyond maxEvents. */
  truncated: number;
  /** False when the diagnosis could not read the whole window: some missed events may not be listed. */
  complete: boolean;
  reason?: string;
  attemptsScanned: number;
}

export async function findMissedEvents(query: MissedEventsQuery): Promise<MissedEvents> {
  const diagnosis = await scanWebhookAttempts({
    webhook: query.webhook,
    source: query.source,
    events: query.events,
    missedIdsLimit: query.maxEvents,
    ...(query.since ? { since: query.since } : {}),
    maxAttempts: MAX_ATTEMPTS_SCANNED,
    concurrency: query.concurrency,
    senderIsLocal: true,
    deadline: query.deadline,
    signal: query.signal,
    ...(query.onProgress ? { onProgress: query.onProgress } : {}),
  });
  const { missedEvents, events } = diagnosis;
  const eventIds = [...missedEvents.undelivered, ...missedEvents.neverAttempted].slice(0, query.maxEvents);
  const undelivered = Math.min(missedEvents.undelivered.length, eventIds.length);
  const check = diagnosis.recovery?.neverAttempted;
  const unjudged = check?.kind === "listed" || check?.kind === "unjudged" ? check.unjudgedTypes : [];
  const reasons: string[] = [];
  if (!coveredWindow(diagnosis.incompleteCauses) && diagnosis.incompleteReason)
    reasons.push(diagnosis.incompleteReason);
  if (unjudged.length > 0)
    reasons.push(`never-attempted events of ${plural(unjudged.length, "event type")} could not be judged`);
  return {
    eventIds,
    undelivered,
    neverAttempted: eventIds.length - undelivered,
    truncated: Math.max(0, events.undelivered + events.neverAttempted - eventIds.length),
    complete: reasons.length === 0,
    ...(reasons.length ? { reason: reasons.join("; ") } : {}),
    attemptsScanned: diagnosis.attemptsScanned,
  };
}
