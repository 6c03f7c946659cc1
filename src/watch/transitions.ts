// Which changes of state are told, and how loudly: one alert per transition, a cooldown against flapping, and
// quiet moves (a first look, recovered settling into healthy) that are kept in history but alert no one.
import type { HealthEvidence, HealthState } from "./ladder.js";

/** What became of a transition's alert. */
export type AlertDecision =
  /** Told everywhere (output, alert URL, resources, channel). */
  | "alert"
  /** The same state was alerted for this webhook within the cooldown: recorded and shown, not pushed. */
  | "cooldown"
  /** A move nobody needs to hear about (recovered → healthy): recorded, resources updated. */
  | "quiet"
  /** The first state ever seen for this webhook (a new watch, or a store that was lost): no alert. */
  | "baseline";

export interface Transition {
  webhookId: string;
  /** The webhook's metadata name, cleaned (untrusted). */
  name: string | undefined;
  url: string;
  from: HealthState | "none";
  to: HealthState;
  /** ISO time, Exa's clock. */
  at: string;
  evidence: HealthEvidence;
  decision: AlertDecision;
}

export const DEFAULT_COOLDOWN_MS = 10 * 60_000;

/** Per webhook: the state it is in and when each state was last alerted. */
export interface WebhookMemory {
  state: HealthState;
  since: string;
  alertedAt: Map<HealthState, number>;
}

export function decide(
  from: WebhookMemory | undefined,
  to: HealthState,
  nowMs: number,
  cooldownMs: number,
): AlertDecision {
  if (from === undefined) return "baseline";
  if (from.state === "recovered" && to === "healthy") return "quiet";
  const last = from.alertedAt.get(to);
  // A clock that went back (last in the future) is within the cooldown too: no second alert for it.
  if (last !== undefined && nowMs - last < cooldownMs) return "cooldown";
  return "alert";
}
