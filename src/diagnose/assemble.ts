// The diagnosis of one webhook from what its scan read: the cut causes, the never-attempted check, the
// recovery facts and the verdict. Pure: the scan (scan.ts) does the reading and hands the facts over.
import type { Webhook } from "../exa/schemas.js";
import { truncateUntrusted } from "../text/untrusted.js";
import type { UndeliveredEvents } from "./aggregate.js";
import { incompleteReason, sortCauses } from "./coverage.js";
import type { NeverAttemptedResult } from "./never-attempted.js";
import { type Partition, SUCCESS_FLAGS } from "./partitions.js";
import type {
  AttemptSummary,
  CutCause,
  KnownRetrySchedule,
  NeverAttemptedCheck,
  Outcome,
  RecoveryFacts,
  WebhookDiagnosis,
} from "./types.js";
import { judgeVerdict } from "./verdict.js";

/** Longest metadata.name carried to the health view. */
const NAME_MAX_CHARS = 100;
const LABEL_KEYS = ["name", "label", "title"] as const;
const LABEL_MAX_CHARS = 60;

/** A page the scan could not read: which chain, after how many pages, and whether it was an outcome's head. */
export interface PageFailure {
  partition: Partition;
  pagesRead: number;
  head: boolean;
  error: string;
}

/** What stopped the scan short of the whole history. */
export interface ScanCut {
  /** maxAttempts was spent with pages left. */
  capped: boolean;
  maxAttempts: number;
  /** The time budget ended the scan. */
  outOfTime: boolean;
  scanned: number;
  /** Outcomes whose newest page was read. */
  headRead: ReadonlySet<boolean>;
  failures: readonly PageFailure[];
  /** Some chain reached attempts older than `since`. */
  olderThanSince: boolean;
}

/** The never-attempted check as it ended; `found` when events were listed. */
export interface NeverAttemptedFound {
  check: NeverAttemptedCheck;
  found?: NeverAttemptedResult;
}

export interface ScanFacts {
  webhook: Pick<Webhook, "id" | "url" | "status"> & Partial<Pick<Webhook, "events" | "metadata">>;
  since?: Date;
  eventType?: string;
  cut: ScanCut;
  summary: AttemptSummary;
  undelivered: UndeliveredEvents;
  neverAttempted: NeverAttemptedFound;
  /** Infinity when no attempt was scanned. */
  oldestScannedMs: number;
  /** How far before the oldest attempt a list_events look starts, and the oldest instant Exa still keeps. */
  eventLeadMs: number;
  retainedFromMs: number;
  /** The sandbox's own retry schedule, when it is the peer: its retry note names it. */
  retrySchedule?: KnownRetrySchedule;
}

const outcomeOf = (successful: boolean): Outcome => (successful ? "successful" : "failed");

/** The webhook's name from its metadata (name, else label or title), when it has a short one. */
export function webhookLabel(metadata: Webhook["metadata"]): string | undefined {
  for (const key of LABEL_KEYS) {
    const value = metadata?.[key]?.trim();
    if (value && value.length <= LABEL_MAX_CHARS) return value;
  }
  return undefined;
}

export function assembleDiagnosis(input: ScanFacts): WebhookDiagnosis {
  const { webhook, since, summary: read, undelivered, oldestScannedMs } = input;
  const { capped, maxAttempts, outOfTime, scanned, headRead, failures, olderThanSince } = input.cut;
  const causes: CutCause[] = [];
  if (capped) causes.push({ kind: "maxAttempts", maxAttempts });
  const headFailed = new Set(failures.filter((f) => f.head).map((f) => f.partition.successful));
  if (outOfTime) {
    const unreadOutcomes = SUCCESS_FLAGS.filter((flag) => !headRead.has(flag) && !headFailed.has(flag)).map(outcomeOf);
    causes.push({ kind: "budget", scanned, unreadOutcomes });
  }
  for (const failure of failures) {
    causes.push({
      kind: "partitionFailed",
      eventType: failure.head && input.eventType === undefined ? null : (failure.partition.eventType ?? null),
      outcome: outcomeOf(failure.partition.successful),
      pagesRead: failure.pagesRead,
      outcomeUnread: failure.head,
      error: failure.error,
    });
  }
  if (olderThanSince && since) causes.push({ kind: "since", at: since.toISOString() });

  const { check, found } = input.neverAttempted;
  // Events never attempted are counted by the check, not by the attempts: the summary is not changed.
  const summary = { ...read, events: { ...read.events, neverAttempted: found?.count ?? read.events.neverAttempted } };
  const neverAttemptedIds = found?.ids ?? [];
  if (found) causes.push(...found.causes);
  const incompleteCauses = sortCauses(causes);

  const lookFromMs = Math.max(
    Math.min(
      oldestScannedMs - input.eventLeadMs,
      check.kind === "listed" ? Date.parse(check.from) : Number.POSITIVE_INFINITY,
    ),
    input.retainedFromMs,
  );
  const recovery: RecoveryFacts = {
    subscribedTypes: [...(webhook.events ?? [])],
    undeliveredExpired: undelivered.expired,
    undeliveredRecent: undelivered.recent,
    ...(input.retrySchedule ? { retrySchedule: input.retrySchedule } : {}),
    neverAttempted: check,
    ...(Number.isFinite(lookFromMs) ? { listEventsFrom: new Date(lookFromMs).toISOString() } : {}),
    ...(since ? { since: since.toISOString() } : {}),
  };
  const diagnosis: WebhookDiagnosis = {
    webhookId: webhook.id,
    url: webhook.url,
    status: webhook.status,
    verdict: judgeVerdict({ ...summary, status: webhook.status, causes: incompleteCauses }),
    attemptsScanned: summary.attemptsScanned,
    failedAttempts: summary.failedAttempts,
    failureRate: summary.failureRate,
    complete: incompleteCauses.length === 0,
    window: summary.window,
    events: summary.events,
    missedEvents: {
      undelivered: undelivered.ids,
      neverAttempted: neverAttemptedIds,
      truncated:
        undelivered.ids.length < summary.events.undelivered || neverAttemptedIds.length < summary.events.neverAttempted,
    },
    groups: summary.groups,
    lastSuccessAt: summary.lastSuccessAt,
    lastFailureAt: summary.lastFailureAt,
    consecutiveFailures: summary.consecutiveFailures,
    timeline: summary.timeline,
  };
  const label = webhookLabel(webhook.metadata);
  if (label !== undefined) diagnosis.label = label;
  // The view has room for a longer name than a text line; a short label stands in when there is no name.
  const name = truncateUntrusted(webhook.metadata?.name ?? label, NAME_MAX_CHARS);
  if (name) diagnosis.name = name;
  diagnosis.recovery = recovery;
  const reason = incompleteReason(incompleteCauses);
  if (reason !== undefined) {
    diagnosis.incompleteReason = reason;
    diagnosis.incompleteCauses = incompleteCauses;
  }
  return diagnosis;
}
