// The webhook's history beyond Exa's retention, through the store: hourly delivered/failed counts by category
// for the attempts a scan folded in, every verdict change with its cause, and the summary a diagnosis carries
// ("since when is it failing?", "how often this month?").
import { DEFAULT_RETENTION_DAYS, type History, type HourlyBucket, type VerdictTransition } from "../store/types.js";
import type { RememberedAttempt } from "./incremental-records.js";
import { MAX_TRANSITIONS_SHOWN, type WebhookDiagnosis, type WebhookHistory } from "./types.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MONTH_DAYS = 30;

/** Where a webhook's history lives: the store's history and the account its rows are keyed by. */
export interface HistoryPlace {
  history: History;
  account: string;
  webhookId: string;
  /** Cleans what is kept of a receiver's text of the server's secrets (see DiagnoseMemory). */
  redact?: (text: string) => string;
}

/** Hourly counts by category ("delivered" for successes) of attempts folded in for the first time. */
export function hourlyBuckets(records: Iterable<RememberedAttempt>): HourlyBucket[] {
  const buckets = new Map<string, HourlyBucket>();
  for (const record of records) {
    if (!Number.isFinite(record.ms)) continue;
    const hour = Math.floor(record.ms / HOUR_MS) * HOUR_MS;
    const category = record.successful ? "delivered" : (record.category ?? "other");
    const key = `${hour}|${category}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { hour: new Date(hour), category, delivered: 0, failed: 0 };
      buckets.set(key, bucket);
    }
    if (record.successful) bucket.delivered++;
    else bucket.failed++;
  }
  return [...buckets.values()];
}

/** Why the verdict is what it is, in a few words a person can read in an alert or the view. */
export function transitionCause(diagnosis: WebhookDiagnosis): string {
  const parts: string[] = [];
  if (diagnosis.verdict === "inactive") parts.push("Exa marked the webhook inactive");
  if (diagnosis.consecutiveFailures > 0) parts.push(`${diagnosis.consecutiveFailures} failures in a row`);
  const top = diagnosis.groups[0];
  if (top && diagnosis.failedAttempts > 0) parts.push(`mostly ${top.category} (${top.statusCode || "no HTTP answer"})`);
  parts.push(diagnosis.lastSuccessAt ? `last success ${diagnosis.lastSuccessAt}` : "no success seen");
  return parts.join(", ");
}

/**
 * Records a change of verdict (the first verdict seen too, from "none"); nothing when it is the same as the
 * last one. `unknown` is not a state of the webhook but of the scan, so it is never recorded.
 */
export async function recordVerdict(
  place: HistoryPlace,
  diagnosis: WebhookDiagnosis,
  at: Date,
): Promise<VerdictTransition | undefined> {
  if (diagnosis.verdict === "unknown") return undefined;
  const last = await place.history.lastTransition(place.account, place.webhookId);
  if (last?.to === diagnosis.verdict) return undefined;
  const transition = { at, from: last?.to ?? "none", to: diagnosis.verdict, cause: transitionCause(diagnosis) };
  await place.history.addTransition(place.account, place.webhookId, transition);
  return transition;
}

/** The history a diagnosis carries: since when its verdict holds, the changes, and the last 30 days. */
export async function readHistory(place: HistoryPlace, now: Date): Promise<WebhookHistory> {
  const { history, account, webhookId } = place;
  // The store keeps this long; a diagnosis shows what is there.
  const from = new Date(now.getTime() - DEFAULT_RETENTION_DAYS * DAY_MS);
  const monthFrom = now.getTime() - MONTH_DAYS * DAY_MS;
  const [transitions, buckets] = await Promise.all([
    history.transitions(account, webhookId, from),
    history.buckets(account, webhookId, from),
  ]);
  const last = transitions[transitions.length - 1];
  const firstMs = Math.min(transitions[0]?.at.getTime() ?? Infinity, buckets[0]?.hour.getTime() ?? Infinity);
  const month = { timesFailing: 0, delivered: 0, failed: 0 };
  for (const t of transitions) if (t.to === "failing" && t.at.getTime() >= monthFrom) month.timesFailing++;
  for (const b of buckets) {
    if (b.hour.getTime() < monthFrom) continue;
    month.delivered += b.delivered;
    month.failed += b.failed;
  }
  return {
    since: last ? last.at.toISOString() : null,
    keptFrom: Number.isFinite(firstMs) ? new Date(firstMs).toISOString() : null,
    transitions: transitions.slice(-MAX_TRANSITIONS_SHOWN).map((t) => ({
      at: t.at.toISOString(),
      from: t.from,
      to: t.to,
      cause: t.cause,
    })),
    last30Days: month,
  };
}
