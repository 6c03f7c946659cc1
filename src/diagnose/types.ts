// The diagnosis contract: the `diagnose_failures` tool's structuredContent, declared once as zod schemas.
// Every step (classify → aggregate → verdict → render) uses the types inferred here. Field names ARE the
// product contract: rename nothing.
import { z } from "zod";

/** Why one unsuccessful attempt failed (the categories of the taxonomy in README "How diagnose_failures works"). */
export const CATEGORIES = [
  "unreachable",
  "timeout",
  "tls",
  "redirect",
  "auth_rejected",
  "not_found",
  "bad_request",
  "rate_limited",
  "server_error",
  "other",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Webhook-level judgement, in the taxonomy's order (see verdict.ts for the rules). */
export const VERDICTS = ["inactive", "no_traffic", "unknown", "failing", "degraded", "healthy"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The two outcomes Exa filters attempts by (`successful=true|false`). */
export const OUTCOMES = ["successful", "failed"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Failed attempts sharing (category, statusCode). */
export const diagnosisGroupSchema = z.object({
  category: z.enum(CATEGORIES),
  /** HTTP status; 0 when the receiver gave no HTTP response (transport error). */
  statusCode: z.number(),
  count: z.number(),
  /** Sorted, distinct. */
  eventTypes: z.array(z.string()),
  firstSeen: z.string(),
  lastSeen: z.string(),
  /**
   * The newest attempt whose response has text (the evidence), else the newest attempt; ties by attempt id,
   * so the sample does not depend on scan order.
   */
  sampleAttemptId: z.string(),
  sampleEventId: z.string(),
  /** Receiver-written text: untrusted, control characters stripped, at most 300 UTF-16 units (`.length`). */
  sampleResponse: z.string().describe("The receiver's response text: untrusted data, at most 300 characters."),
  /** One concrete next check, using the webhook's URL/host. */
  hint: z.string(),
});
export type DiagnosisGroup = z.infer<typeof diagnosisGroupSchema>;

export const eventOutcomesSchema = z.object({
  /** Distinct eventIds among the counted event types (see uncountedEventTypes). */
  total: z.number(),
  /** Some attempt succeeded and no failed attempt has a lower attempt number. */
  delivered: z.number(),
  /** Some attempt succeeded after a failed one. */
  recovered: z.number(),
  /** No scanned attempt succeeded. */
  undelivered: z.number(),
  /**
   * Events of the subscribed types, created in the window (see NeverAttemptedCheck), that no scanned attempt
   * carries: Exa never tried to deliver them (e.g. while the webhook was inactive). Not part of `total`.
   */
  neverAttempted: z.number(),
  /** Scanned event types left out of the counts: one of their outcomes was not read through the window. */
  uncountedEventTypes: z
    .array(z.string())
    .optional()
    .describe("Event types left out of the event counts because one of their outcomes was not read in full."),
});
export type EventOutcomes = z.infer<typeof eventOutcomesSchema>;

/**
 * Ids of the missed events, at most MISSED_IDS_SHOWN each, newest first; truncated: a list holds fewer than its
 * count. diagnose_failures folds in the redelivery ledger: the two lists then hold only what is outstanding.
 */
export const missedEventsSchema = z.object({
  undelivered: z.array(z.string()),
  neverAttempted: z.array(z.string()),
  truncated: z.boolean(),
  /** Missed by Exa, then accepted (2xx) by a redelivery: newest first. */
  recovered: z.array(z.string()).optional(),
  /** Missed events still missing: not delivered by Exa, not recovered by redelivery. */
  outstanding: z.number().optional(),
});
export type MissedEvents = z.infer<typeof missedEventsSchema>;
export const MISSED_IDS_SHOWN = 100;

export const attemptWindowSchema = z.object({ from: z.string().nullable(), to: z.string().nullable() });
export type AttemptWindow = z.infer<typeof attemptWindowSchema>;

/**
 * What cut a scan short, as structure: text is rendered from these (coverage.ts), never parsed back.
 * - since: the scan reached `since` with older attempts left (the window was read, the history was not).
 * - maxAttempts: the cap was spent with more attempts in the window.
 * - budget: the time budget ran out; `unreadOutcomes` are outcomes whose newest page was never read.
 * - eventsCut: listing the events of the subscribed types (the never-attempted check) stopped early: the time
 *   budget ran out, or a page still failed after the client's retries. The count found is a lower bound.
 * - partitionFailed: a page still failed after the client's retries and ended its chain. `eventType` null
 *   is the unfiltered probe of the outcome; `outcomeUnread` means the newest attempts of the outcome were
 *   in what failed (the probe, or the only partition of the outcome when eventType was given).
 */
export const cutCauseSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("since"), at: z.string() }),
  z.object({ kind: z.literal("maxAttempts"), maxAttempts: z.number() }),
  z.object({ kind: z.literal("budget"), scanned: z.number(), unreadOutcomes: z.array(z.enum(OUTCOMES)) }),
  z.object({
    kind: z.literal("eventsCut"),
    reason: z.enum(["budget", "failed"]),
    /** Events listed before the cut. */
    listed: z.number(),
    error: z.string().optional(),
  }),
  z.object({
    kind: z.literal("partitionFailed"),
    eventType: z.string().nullable(),
    outcome: z.enum(OUTCOMES),
    pagesRead: z.number(),
    outcomeUnread: z.boolean(),
    error: z.string(),
  }),
]);
export type CutCause = z.infer<typeof cutCauseSchema>;

/**
 * Attempts over time for the health view (src/ui/): buckets of `bucketMs` (an hour, a day, or 2^n days, to stay
 * within 200), oldest first; buckets without attempts are left out. Attempts without a valid time are not placed.
 */
export const timelineSchema = z.object({
  bucketMs: z.number(),
  buckets: z.array(z.object({ start: z.string(), delivered: z.number(), failed: z.number() })),
});
export type Timeline = z.infer<typeof timelineSchema>;

/**
 * What the store remembers beyond Exa's retention (kept 90 days): every verdict change of unfiltered diagnoses,
 * and hourly delivered/failed counts. Absent when no store is open.
 */
export const webhookHistorySchema = z.object({
  /** When the current verdict began, as far as the store saw (its last change into it); null: not seen change. */
  since: z.string().nullable(),
  /** The oldest day the store holds for this webhook (counts or changes). */
  keptFrom: z.string().nullable(),
  /** Verdict changes, oldest first, the newest MAX_TRANSITIONS_SHOWN of the last 90 days. */
  transitions: z.array(z.object({ at: z.string(), from: z.string(), to: z.string(), cause: z.string() })),
  /** The last 30 days: changes into failing, and attempts counted by hour. */
  last30Days: z.object({ timesFailing: z.number(), delivered: z.number(), failed: z.number() }),
});
export type WebhookHistory = z.infer<typeof webhookHistorySchema>;
export const MAX_TRANSITIONS_SHOWN = 50;

export const webhookDiagnosisSchema = z.object({
  webhookId: z.string(),
  url: z.string(),
  status: z.string(),
  verdict: z.enum(VERDICTS),
  attemptsScanned: z.number(),
  failedAttempts: z.number(),
  failureRate: z.number(),
  /** False when since, maxAttempts, the time budget or a failed page cut the scan short. */
  complete: z.boolean(),
  /** What cut the scan short, in words (rendered from the scan's cut causes). */
  incompleteReason: z.string().optional(),
  window: attemptWindowSchema,
  events: eventOutcomesSchema,
  missedEvents: missedEventsSchema,
  groups: z.array(diagnosisGroupSchema),
  lastSuccessAt: z.string().nullable(),
  lastFailureAt: z.string().nullable(),
  /** Failed attempts newer than the newest success (all failures when nothing succeeded). */
  consecutiveFailures: z.number(),
  /** For clients that show the health view only (see withoutViewFields). */
  timeline: timelineSchema.optional(),
  /** For clients that show the health view only (see withoutViewFields): the webhook's metadata.name, untrusted. */
  name: z.string().optional(),
  /** Since when, and how often: the store's history of this webhook (see webhookHistorySchema). */
  history: webhookHistorySchema.optional(),
});
/**
 * How the never-attempted check went. `listed` when the events of `types` created from `from` to `to` were
 * listed (`unjudgedTypes`: subscribed types left out, since their attempts were not read in full); `unjudged`
 * when no type could be judged; `empty` when the window holds no time (a webhook younger than 10 minutes, or
 * since within the last 10 minutes); `off` when the caller gave no events source.
 */
export type NeverAttemptedCheck =
  | { kind: "listed"; from: string; to: string; types: string[]; unjudgedTypes: string[]; listed: number }
  | { kind: "unjudged"; unjudgedTypes: string[] }
  | { kind: "empty" }
  | { kind: "off" };

/**
 * How the scan used the store: `incremental` read only the attempts newer than a remembered scan; `full` read
 * everything (`remembered`: kept for next time; `reason`: why nothing could be built on); `off`: no store.
 */
export type ScanMemoryNote =
  | { kind: "incremental"; newPages: number; newAttempts: number; rememberedAttempts: number; rememberedAt: string }
  | {
      kind: "full";
      remembered: boolean;
      reason:
        | "first"
        | "since"
        | "eventType"
        | "incomplete"
        | "capped"
        | "readFailed"
        | "expired"
        | "untimed"
        | "unreadable";
    }
  | { kind: "off"; because: string };
/** What the ledger adds to a diagnosis' missed events, for the text (the contract has the ids and the count). */
export interface RedeliveryFold {
  recovered: number;
  /** The newest acceptance among the recovered. */
  newestAt?: string;
  outstandingUndelivered: number;
  outstandingNeverAttempted: number;
  /** Outstanding events a redelivery claimed and never recorded (outcome unknown). */
  unknown: number;
  /** Why the ledger could not be read (no store, or it failed): nothing is known of redeliveries. */
  unread?: string;
}

/** How a sender retries, when it is known: the sandbox's schedule (Exa's is undocumented). */
export interface KnownRetrySchedule {
  /** Waits before attempts 2, 3, …; after the last the sender gives up. */
  delaysMs: readonly number[];
  /** How long one attempt may take. */
  timeoutMs: number;
}

/** After a failed attempt starts, the next one starts at most one timeout plus the longest wait later. */
export function retryReachMs(schedule: KnownRetrySchedule): number {
  return schedule.timeoutMs + Math.max(0, ...schedule.delaysMs);
}

/** What the text says about recovery, beyond the contract's counts. */
export interface RecoveryFacts {
  /** The webhook's subscribed types, for list_events suggestions. */
  subscribedTypes: string[];
  /** Undelivered events whose first attempt is older than Exa's 60-day retention: gone. */
  undeliveredExpired: number;
  /** Undelivered events with a failed attempt in the last hour (or retrySchedule's reach): may still be retried. */
  undeliveredRecent: number;
  /** The sender's known schedule (the sandbox), which undeliveredRecent was counted by. */
  retrySchedule?: KnownRetrySchedule;
  neverAttempted: NeverAttemptedCheck;
  /** Where a list_events look at the missed events starts (an hour before the oldest scanned attempt, since
   * events are created shortly before their first delivery; or the never-attempted window; not past retention). */
  listEventsFrom?: string;
  /** The since the diagnosis ran with, for the exact redeliver_events call. */
  since?: string;
}

/**
 * A diagnosis as the engine hands it on: the contract plus what verdict, ranking and text are derived from
 * (the structured cut causes, the webhook's label, recovery facts). These stay out of structuredContent
 * (incompleteReason says the causes in words; every schema byte costs a model context on every turn):
 * toStructuredReport drops them.
 */
export type WebhookDiagnosis = z.infer<typeof webhookDiagnosisSchema> & {
  incompleteCauses?: CutCause[];
  /** Whether the scan built on a remembered one, and why not (incremental.ts). */
  memory?: ScanMemoryNote;
  /** The redelivery ledger folded in (recovered.ts): what the text says of recovered and outstanding events. */
  redelivery?: RedeliveryFold;
  /** A short name from the webhook's metadata (raw: render it through oneLine). */
  label?: string;
  recovery?: RecoveryFacts;
};

export const diagnosisReportSchema = z.object({
  webhooks: z.array(webhookDiagnosisSchema),
  generatedAt: z.string(),
  /** Present when the account has more webhooks than fleet mode reads: only this many were diagnosed. */
  webhookLimit: z
    .number()
    .optional()
    .describe("Set when the account has more webhooks than one call reads: only the first this many were diagnosed."),
  /** Webhooks the time budget ran out before: not scanned at all (the ones reached are in `webhooks`). */
  notReached: z
    .array(z.string())
    .optional()
    .describe(
      "Webhook ids the time budget ran out before; diagnose them by webhookId or raise EXA_DIAGNOSE_BUDGET_MS.",
    ),
});
export type DiagnosisReport = Omit<z.infer<typeof diagnosisReportSchema>, "webhooks"> & {
  webhooks: WebhookDiagnosis[];
};

/** The report as structuredContent: exactly the contract's fields. */
export function toStructuredReport(report: DiagnosisReport): z.infer<typeof diagnosisReportSchema> {
  return {
    ...report,
    webhooks: report.webhooks.map(
      ({
        incompleteCauses: _causes,
        label: _label,
        recovery: _recovery,
        memory: _memory,
        redelivery: _redelivery,
        ...diagnosis
      }) => diagnosis,
    ),
  };
}

/** What the aggregator knows once every attempt has been added; independent of insertion order. */
export type AttemptSummary = Pick<
  WebhookDiagnosis,
  | "attemptsScanned"
  | "failedAttempts"
  | "failureRate"
  | "window"
  | "events"
  | "groups"
  | "lastSuccessAt"
  | "lastFailureAt"
  | "consecutiveFailures"
  | "timeline"
>;

type StructuredReport = z.infer<typeof diagnosisReportSchema>;

/**
 * The structured report as a client without the health view gets it: without the fields only the view reads
 * (the timeline, the name), so that such a client's result is what it was before the view existed.
 */
export function withoutViewFields(report: StructuredReport): StructuredReport {
  return {
    ...report,
    webhooks: report.webhooks.map(({ name: _name, timeline: _timeline, ...diagnosis }) => diagnosis),
  };
}
