// Why a scan is incomplete: the reasons a model reads, and the checks rendering and ranking make on them.
// Both live here so the wording and the checks that read it back cannot drift apart.
import type { WebhookDiagnosis } from "./types.js";

type Coverage = Pick<WebhookDiagnosis, "attemptsScanned" | "complete" | "incompleteReason">;

const SINCE_REASON = /^limited to attempts since \S+; older attempts were not scanned$/;

/** The scan reached `since` with older attempts still there: the window was read, the history was not. */
export function sinceReason(since: Date): string {
  return `limited to attempts since ${since.toISOString()}; older attempts were not scanned`;
}

/** One line from several reasons; trailing periods go first so the join never reads "….;" or ".;". */
export function joinReasons(reasons: readonly string[]): string | undefined {
  const parts = reasons.map((reason) => reason.trim().replace(/[\s.]+$/, "")).filter((reason) => reason !== "");
  return parts.length > 0 ? parts.join("; ") : undefined;
}

/** Everything in the asked-for window was read (since alone may have cut older history off). */
export function coveredWindow(d: Coverage): boolean {
  return d.complete || SINCE_REASON.test(d.incompleteReason ?? "");
}

/**
 * Nothing was read and the window was not covered (time budget, failed pages): the webhook's state is
 * unknown. It keeps the verdict no_traffic, the only one of the five that claims nothing about delivery,
 * but must neither read nor rank as a quiet webhook.
 */
export function isUnscanned(d: Coverage): boolean {
  return d.attemptsScanned === 0 && !coveredWindow(d);
}
