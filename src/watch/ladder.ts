// The health ladder a watch walks: healthy → degraded → failing → at_risk → inactive → recovered, judged from
// one webhook's diagnosis and the state before it. Pure: no I/O, `now` is given (Exa's clock).
import type { Verdict, WebhookDiagnosis } from "../diagnose/index.js";

export const HEALTH_STATES = ["healthy", "degraded", "failing", "at_risk", "inactive", "recovered"] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** How bad a state is, for ordering lists worst first. */
export const STATE_RANK: Record<HealthState, number> = {
  inactive: 0,
  at_risk: 1,
  failing: 2,
  degraded: 3,
  recovered: 4,
  healthy: 5,
};

/**
 * Exa turns a webhook `inactive` by a rule it does not publish. A run of failures this long (or this long
 * without a success) is our line for "it may be next", not Exa's: providers that do publish one disable after
 * days of failures (Stripe: 3 days, Svix: 5 days), so a day without a success is well before any of them.
 */
export interface LadderThresholds {
  /** Failed attempts in a row, nothing succeeding in between. */
  atRiskRun: number;
  /** Time since the last success while failing. */
  atRiskSilenceMs: number;
}

export const DEFAULT_THRESHOLDS: LadderThresholds = { atRiskRun: 20, atRiskSilenceMs: 24 * 3_600_000 };

/** The facts a state rests on: what an alert shows as its evidence. */
export interface HealthEvidence {
  verdict: Verdict;
  /** Failed attempts newer than the newest success (all failures when none succeeded). */
  consecutiveFailures: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  /** Now minus lastSuccessAt by Exa's clock; null when no retained attempt succeeded. */
  sinceLastSuccessMs: number | null;
  /** The oldest retained attempt: how far back "no success" reaches when there is none. */
  oldestAttemptAt: string | null;
  failureRate: number;
  attemptsScanned: number;
}

export interface HealthJudgement {
  state: HealthState;
  evidence: HealthEvidence;
}

/**
 * The state a diagnosis puts a webhook in, or undefined when the diagnosis could not tell (verdict unknown):
 * a page that would not load is no change of health, so the previous state stands.
 */
export function judgeHealth(
  diagnosis: WebhookDiagnosis,
  previous: HealthState | undefined,
  nowMs: number,
  thresholds: LadderThresholds,
): HealthJudgement | undefined {
  const evidence = evidenceOf(diagnosis, nowMs);
  const base = baseState(evidence, thresholds, nowMs);
  if (base === undefined) return undefined;
  return { state: withRecovery(base, previous), evidence };
}

function baseState(evidence: HealthEvidence, thresholds: LadderThresholds, nowMs: number): HealthState | undefined {
  switch (evidence.verdict) {
    case "unknown":
      return undefined;
    case "inactive":
      return "inactive";
    case "failing":
      return atRisk(evidence, thresholds, nowMs) ? "at_risk" : "failing";
    case "degraded":
      return "degraded";
    case "healthy":
    case "no_traffic":
      return "healthy";
  }
}

/** Every attempt failing for a sustained run: long enough in attempts, or in time without a success. */
function atRisk(evidence: HealthEvidence, thresholds: LadderThresholds, nowMs: number): boolean {
  if (evidence.consecutiveFailures >= thresholds.atRiskRun) return true;
  const since = evidence.sinceLastSuccessMs ?? ageMs(evidence.oldestAttemptAt, nowMs);
  return since !== null && since >= thresholds.atRiskSilenceMs;
}

/** Back from failing, at_risk or inactive is "recovered" until the next change says healthy again. */
function withRecovery(state: HealthState, previous: HealthState | undefined): HealthState {
  const wasDown = previous === "failing" || previous === "at_risk" || previous === "inactive";
  if (wasDown && (state === "healthy" || state === "degraded")) return "recovered";
  if (previous === "recovered" && state === "degraded") return "recovered";
  return state;
}

function evidenceOf(diagnosis: WebhookDiagnosis, nowMs: number): HealthEvidence {
  return {
    verdict: diagnosis.verdict,
    consecutiveFailures: diagnosis.consecutiveFailures,
    lastSuccessAt: diagnosis.lastSuccessAt,
    lastFailureAt: diagnosis.lastFailureAt,
    sinceLastSuccessMs: ageMs(diagnosis.lastSuccessAt, nowMs),
    oldestAttemptAt: diagnosis.window.from,
    failureRate: diagnosis.failureRate,
    attemptsScanned: diagnosis.attemptsScanned,
  };
}

function ageMs(iso: string | null, nowMs: number): number | null {
  if (iso === null) return null;
  const at = Date.parse(iso);
  return Number.isFinite(at) ? Math.max(0, nowMs - at) : null;
}
