// The diagnosis engine's public surface: classify → aggregate → verdict → render, plus the scan that drives
// them through an injected page source. Tool files import from here only.
export { type AttemptAggregator, type AttemptAggregatorOptions, createAttemptAggregator } from "./aggregate.js";
export { classifyAttempt } from "./classify.js";
export { diagnoseFleet, type FleetOptions, type FleetSources, MAX_FLEET_WEBHOOKS } from "./fleet.js";
export { hintFor } from "./hints.js";
export {
  ATTEMPT_RETENTION_MS,
  type DiagnoseMemory,
  diagnoseIncrementally,
  diagnoseMemory,
  type IncrementalDiagnosis,
  type IncrementalOptions,
} from "./incremental.js";
export { type HistoryPlace, readHistory, recordVerdict, transitionCause } from "./incremental-history.js";
export {
  EVENTS_PAGE_LIMIT,
  type EventPageSource,
  type EventsQuery,
  type ListedEvent,
} from "./never-attempted.js";
export { rankDiagnoses, VERDICT_RANK } from "./rank.js";
export { foldRedeliveries, type LedgerView, readLedgerViews } from "./recovered.js";
export { type RenderOptions, renderDiagnosis } from "./render.js";
export {
  ATTEMPTS_PAGE_LIMIT,
  type AttemptPageSource,
  type AttemptsQuery,
  NEW_EVENT_GRACE_MS,
  type ScanOptions,
  scanWebhookAttempts,
} from "./scan.js";
export { parseSince } from "./since.js";
export { createTimelineCounter, MAX_TIMELINE_BUCKETS, type TimelineCounter } from "./timeline.js";
export type {
  AttemptSummary,
  AttemptWindow,
  Category,
  CutCause,
  DiagnosisGroup,
  DiagnosisReport,
  EventOutcomes,
  MissedEvents,
  NeverAttemptedCheck,
  Outcome,
  RecoveryFacts,
  RedeliveryFold,
  ScanMemoryNote,
  Timeline,
  Verdict,
  WebhookDiagnosis,
  WebhookHistory,
} from "./types.js";
export {
  CATEGORIES,
  cutCauseSchema,
  diagnosisReportSchema,
  MISSED_IDS_SHOWN,
  OUTCOMES,
  timelineSchema,
  toStructuredReport,
  VERDICTS,
  webhookDiagnosisSchema,
  webhookHistorySchema,
  withoutViewFields,
} from "./types.js";
export { DEGRADED_FAILURE_RATE, FAILING_STREAK, judgeVerdict, type VerdictInput } from "./verdict.js";
