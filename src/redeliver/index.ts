// The redelivery engine's public surface, loaded by redeliver_events on first use (it signs with
// node:crypto, which costs start-up time every session would otherwise pay).
export { findMissedEvents, type MissedEvents, type MissedEventsQuery } from "./missed.js";
export { type RenderContext, renderRedelivery, type SecretSource } from "./render.js";
export { POST_TIMEOUT_MS, type RedeliveryRun, type RedeliveryRunOutcome, runRedelivery } from "./run.js";
export { type FailureGroup, groupFailures, summarizeRedelivery } from "./summary.js";
export { type RedeliveryTarget, resolveRedeliveryTarget, TargetRefusedError } from "./target.js";
