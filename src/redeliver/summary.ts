// From one run's per-event outcomes to the structuredContent contract (counts), and the failures grouped
// by category with the diagnose hint for the target (a 401/403 also points at the secret given here).
import { hintFor } from "../diagnose/hints.js";
import type { Category } from "../diagnose/types.js";
import { plannedHeaders } from "./headers.js";
import type { KnownDelivery } from "./ledger.js";
import type { RedeliveryRunOutcome } from "./run.js";
import type { RedeliveryOutput, RedeliveryResult } from "./schema.js";
import type { SecretSource } from "./secrets.js";

/** Failed POSTs sharing a category, with the next check for the target. */
export interface FailureGroup {
  category: Category;
  count: number;
  statusCodes: number[];
  hint: string;
}

interface SummaryInput {
  webhookId: string;
  targetUrl: string;
  dryRun: boolean;
  run: RedeliveryRunOutcome;
  /** Why the list of events may be incomplete (the discovery of undelivered events was cut short). */
  discoveryGap?: string | undefined;
  /** What the ledger said before the run (left out of it) and at the claims (held back). */
  known: readonly KnownDelivery[];
  /** A store is open: this run is remembered. */
  remembered: boolean;
}

export function summarizeRedelivery(input: SummaryInput): RedeliveryOutput {
  const { run } = input;
  const delivered = run.results.filter((result) => result.ok).length;
  const reasons: string[] = [];
  if (input.discoveryGap) reasons.push(input.discoveryGap);
  if (run.notSent.length) {
    reasons.push(
      `the time budget ran out: ${run.notSent.length} of ${run.planned.length} events were not ${input.dryRun ? "looked up" : "sent"}`,
    );
  }
  if (run.notClaimed.length)
    reasons.push(`the store failed: ${run.notClaimed.length} events were not claimed, not sent`);
  const known = [...input.known, ...run.held];
  return {
    webhookId: input.webhookId,
    targetUrl: input.targetUrl,
    dryRun: input.dryRun,
    planned: run.planned,
    ...(input.dryRun ? {} : { results: run.results }),
    delivered,
    failed: run.results.length - delivered,
    skipped: run.planned.filter((event) => event.skipped !== undefined).length,
    notSent: run.notSent,
    alreadyDelivered: known.flatMap((k) =>
      k.kind === "delivered" ? [{ eventId: k.eventId, at: k.at.toISOString() }] : [],
    ),
    outcomeUnknown: known.flatMap((k) =>
      k.kind === "unknown" ? [{ eventId: k.eventId, at: k.since.toISOString() }] : [],
    ),
    notClaimed: run.notClaimed,
    remembered: input.remembered,
    headers: plannedHeaders(),
    complete: reasons.length === 0,
    ...(reasons.length ? { incompleteReason: reasons.join("; ") } : {}),
  };
}

/** Where the secret came from names what to check: in --sandbox no EXA_WEBHOOK_SECRETS is used. */
function secretHint(secretFrom: SecretSource): string {
  const which =
    secretFrom === "sandbox"
      ? "the sandbox's secret for this webhook"
      : "the secret given here (EXA_WEBHOOK_SECRETS or secret)";
  return `The receiver rejected the redelivery: if it checks Exa-Signature, ${which} may not be the one it verifies with.`;
}

export function groupFailures(
  results: readonly RedeliveryResult[],
  targetUrl: string,
  secretFrom: SecretSource,
): FailureGroup[] {
  const groups = new Map<Category, { count: number; statusCodes: Set<number>; sample: RedeliveryResult }>();
  for (const result of results) {
    if (result.ok || result.category === null) continue;
    const category = result.category as Category;
    const group = groups.get(category);
    if (group) {
      group.count++;
      group.statusCodes.add(result.statusCode);
      if (!group.sample.response && result.response) group.sample = result;
    } else {
      groups.set(category, { count: 1, statusCodes: new Set([result.statusCode]), sample: result });
    }
  }
  return [...groups]
    .map(([category, group]) => {
      const hint = hintFor({
        category,
        statusCode: group.sample.statusCode,
        webhookUrl: targetUrl,
        sampleResponse: group.sample.response,
        lastSeen: "the redelivery",
        // This server is the sender: a loopback target is reachable, not a finding.
        senderIsLocal: true,
      });
      return {
        category,
        count: group.count,
        statusCodes: [...group.statusCodes].sort((a, b) => a - b),
        hint: category === "auth_rejected" ? `${secretHint(secretFrom)} ${hint}` : hint,
      };
    })
    .sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : 1));
}
