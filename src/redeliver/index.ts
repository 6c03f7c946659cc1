// The redelivery engine's public surface, loaded by redeliver_events on first use (it signs with
// node:crypto, which costs start-up time every session would otherwise pay).
export { findMissedEvents } from "./missed.js";
export { renderRedelivery } from "./render.js";
export { runRedelivery } from "./run.js";
export { groupFailures, summarizeRedelivery } from "./summary.js";
export { resolveRedeliveryTarget, TargetRefusedError } from "./target.js";
