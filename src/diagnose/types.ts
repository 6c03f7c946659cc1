// The diagnosis vocabulary shared by every step (classify → aggregate → verdict → render) and by the
// `diagnose_failures` tool's structuredContent. Field names here ARE the product contract: rename nothing.

/** Why one unsuccessful attempt failed (see /work/shared/webhook-failure-taxonomy.md). */
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

/** Webhook-level judgement; the first matching rule wins, in this order. */
export const VERDICTS = ["inactive", "no_traffic", "failing", "degraded", "healthy"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Failed attempts sharing (category, statusCode). */
export interface DiagnosisGroup {
  category: Category;
  /** HTTP status; 0 when the receiver gave no HTTP response (transport error). */
  statusCode: number;
  count: number;
  /** Sorted, distinct. */
  eventTypes: string[];
  firstSeen: string;
  lastSeen: string;
  /**
   * The newest attempt whose response has text (the evidence), else the newest attempt; ties by attempt id,
   * so the sample does not depend on scan order.
   */
  sampleAttemptId: string;
  sampleEventId: string;
  /** Receiver-written text: untrusted, control characters stripped, at most 300 UTF-16 units (`.length`). */
  sampleResponse: string;
  /** One concrete next check, using the webhook's URL/host. */
  hint: string;
}

export interface EventOutcomes {
  /** Distinct eventIds among the scanned attempts. */
  total: number;
  /** Some attempt succeeded and no failed attempt has a lower attempt number. */
  delivered: number;
  /** Some attempt succeeded after a failed one. */
  recovered: number;
  /** No scanned attempt succeeded. */
  undelivered: number;
}

export interface AttemptWindow {
  from: string | null;
  to: string | null;
}

/** What the aggregator knows once every attempt has been added; independent of insertion order. */
export interface AttemptSummary {
  attemptsScanned: number;
  failedAttempts: number;
  failureRate: number;
  window: AttemptWindow;
  events: EventOutcomes;
  groups: DiagnosisGroup[];
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  /** Failed attempts newer than the newest success (all failures when nothing succeeded). */
  consecutiveFailures: number;
}

export interface WebhookDiagnosis extends AttemptSummary {
  webhookId: string;
  url: string;
  status: string;
  verdict: Verdict;
  /**
   * False when since, maxAttempts, the time budget or a failed page cut the scan short (since: older
   * attempts exist that were not read). With attemptsScanned 0 and a cause other than since, the verdict
   * no_traffic means "could not be read", not "quiet" (see coverage.ts).
   */
  complete: boolean;
  incompleteReason?: string;
}

export interface DiagnosisReport {
  webhooks: WebhookDiagnosis[];
  generatedAt: string;
}
