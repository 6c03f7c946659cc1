// Which events of one webhook were missed: the boundary redeliver_events' `undelivered: true` stands on.
//
// Today diagnose_failures reports only counts of undelivered events, not their ids, so this runs the same
// fresh diagnosis (scanWebhookAttempts: same partitions, since, time budget and concurrency) and watches
// the pages it reads to collect, per event id, whether any attempt succeeded. An event with a failed
// attempt in the window and no successful one is undelivered. Never-attempted events (no attempt at all)
// cannot be seen this way; once the diagnosis reports `missedEvents`, take its ids here instead.

import { coveredWindow } from "../diagnose/coverage.js";
import { scanWebhookAttempts } from "../diagnose/index.js";
import type { AttemptPageSource } from "../diagnose/scan.js";
import { timestampMillis } from "../diagnose/timestamps.js";
import type { Webhook } from "../exa/schemas.js";

/** Attempts one discovery scans at most: the diagnosis default. */
const MAX_ATTEMPTS_SCANNED = 10_000;

export interface MissedEventsQuery {
  webhook: Pick<Webhook, "id" | "url" | "status">;
  source: AttemptPageSource;
  since?: Date | undefined;
  /** At most this many ids, newest failure first. */
  maxEvents: number;
  concurrency: number;
  /** Epoch ms after which no page is requested. */
  deadline: number;
  signal: AbortSignal;
  onProgress?: (scanned: number, message: string) => void;
}

export interface MissedEvents {
  /** Undelivered events, newest failure first, at most maxEvents. */
  eventIds: string[];
  /** More undelivered events were found than maxEvents. */
  truncated: number;
  /** False when the scan could not read the whole window: some missed events may not be listed. */
  complete: boolean;
  reason?: string;
  attemptsScanned: number;
}

export async function findMissedEvents(query: MissedEventsQuery): Promise<MissedEvents> {
  const sinceMs = query.since?.getTime();
  const succeeded = new Set<string>();
  /** Failed events in the window → their newest failure (ms). */
  const failed = new Map<string, number>();
  const watched: AttemptPageSource = async (request, signal) => {
    const page = await query.source(request, signal);
    for (const attempt of page.data) {
      if (attempt.successful) {
        succeeded.add(attempt.eventId);
        continue;
      }
      const at = timestampMillis(attempt.attemptedAt);
      if (sinceMs !== undefined && at < sinceMs) continue;
      failed.set(attempt.eventId, Math.max(at, failed.get(attempt.eventId) ?? Number.NEGATIVE_INFINITY));
    }
    return page;
  };
  const diagnosis = await scanWebhookAttempts({
    webhook: query.webhook,
    source: watched,
    ...(query.since ? { since: query.since } : {}),
    maxAttempts: MAX_ATTEMPTS_SCANNED,
    concurrency: query.concurrency,
    senderIsLocal: true,
    deadline: query.deadline,
    signal: query.signal,
    ...(query.onProgress ? { onProgress: query.onProgress } : {}),
  });
  const undelivered = [...failed]
    .filter(([eventId]) => !succeeded.has(eventId))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([eventId]) => eventId);
  const complete = coveredWindow(diagnosis.incompleteCauses);
  return {
    eventIds: undelivered.slice(0, query.maxEvents),
    truncated: Math.max(0, undelivered.length - query.maxEvents),
    complete,
    ...(complete || !diagnosis.incompleteReason ? {} : { reason: diagnosis.incompleteReason }),
    attemptsScanned: diagnosis.attemptsScanned,
  };
}
