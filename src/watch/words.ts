// How a watch's facts read to a person or a model: a transition's cause, its evidence, and the next call to
// make. Rendered from structure, never parsed back.
import { plural } from "../text/words.js";
import type { HealthEvidence, HealthState } from "./ladder.js";
import type { Transition } from "./transitions.js";

/** Said wherever at_risk is: the rule is Exa's, and Exa does not publish it. */
export const UNPUBLISHED_RULE =
  "Exa does not publish when it deactivates a webhook; this is a warning from the evidence, not Exa's rule.";

/** "3 h", "12 min", "2 d": the largest unit that fits. */
export function durationText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.floor(ms / 1000))} s`;
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

/** The evidence in one short phrase, e.g. "12 failed attempts in a row, last success 3 h ago". */
export function evidenceText(evidence: HealthEvidence, nowMs: number): string {
  const run = plural(evidence.consecutiveFailures, "failed attempt");
  const success =
    evidence.sinceLastSuccessMs !== null
      ? `last success ${durationText(evidence.sinceLastSuccessMs)} ago`
      : evidence.oldestAttemptAt
        ? `no success since at least ${evidence.oldestAttemptAt} (${durationText(nowMs - Date.parse(evidence.oldestAttemptAt))} of retained attempts)`
        : "no attempts retained";
  const rate = `${Math.round(evidence.failureRate * 100)}% of ${plural(evidence.attemptsScanned, "attempt")} failed`;
  switch (evidence.verdict) {
    case "failing":
      return `${run} in a row, ${success}`;
    case "degraded":
      return rate;
    case "inactive":
      return `Exa set its status to inactive and delivers nothing; ${success}`;
    default:
      return evidence.attemptsScanned ? `newest attempts succeed; ${rate}` : "no attempts yet";
  }
}

const STATE_WORDS: Record<HealthState, string> = {
  healthy: "is healthy",
  degraded: "is degraded",
  failing: "is failing",
  at_risk: "is at risk of deactivation",
  inactive: "is inactive",
  recovered: "has recovered",
};

export function stateWords(state: HealthState): string {
  return STATE_WORDS[state];
}

/** The cause kept in history: short, no names, no URLs. */
export function causeText(transition: Transition): string {
  const base = evidenceText(transition.evidence, Date.parse(transition.at));
  return transition.to === "at_risk" ? `${base}; rule unpublished by Exa` : base;
}

/** The tool call that looks closer, as a model would make it. */
export function nextCall(transition: Pick<Transition, "webhookId" | "to">): { tool: string; arguments: object } {
  // Recovered: what failed meanwhile can be replayed (redeliver_events is a dry run unless told otherwise).
  if (transition.to === "recovered")
    return { tool: "redeliver_events", arguments: { webhookId: transition.webhookId, undelivered: true } };
  return { tool: "diagnose_failures", arguments: { webhookId: transition.webhookId } };
}

export function nextCallText(transition: Pick<Transition, "webhookId" | "to">): string {
  const call = nextCall(transition);
  return `${call.tool} ${JSON.stringify(call.arguments)}`;
}

/** One sentence for people: "crm-sync (webhook_x) is failing: 3 failed attempts in a row, last success 2 min ago." */
export function transitionSentence(transition: Transition): string {
  const who = transition.name ? `${transition.name} (${transition.webhookId})` : transition.webhookId;
  const evidence = evidenceText(transition.evidence, Date.parse(transition.at));
  const risk = transition.to === "at_risk" ? ` ${UNPUBLISHED_RULE}` : "";
  return `${who} ${stateWords(transition.to)} (was ${transition.from}): ${evidence}.${risk}`;
}

/** The facts every report of a transition carries: its JSON line and its alert's body. */
export function transitionFacts(transition: Transition) {
  return {
    webhookId: transition.webhookId,
    name: transition.name ?? null,
    url: transition.url,
    from: transition.from,
    to: transition.to,
    at: transition.at,
    cause: causeText(transition),
    evidence: transition.evidence,
    next: nextCall(transition),
  };
}
