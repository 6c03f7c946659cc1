// The scan's planner: from the head pages (one per outcome), which chains are still to page and in which
// order; and the never-attempted check's window. Pure. Design: docs/architecture.md, "Diagnosis engine".
import { EVENT_TYPES } from "../exa/event-types.js";
import { EVENT_RETENTION_MS } from "../exa/retention.js";
import type { Page, WebhookAttempt } from "../exa/schemas.js";
import { belongsTo, type Partition, SUCCESS_FLAGS, typedPartitions } from "./partitions.js";
import type { AttemptFold } from "./scan-fold.js";
import { timestampMillis } from "./timestamps.js";

/** A brand-new event may not have been attempted yet: the never-attempted window ends this long before now. */
export const NEW_EVENT_GRACE_MS = 10 * 60_000;
/** How far before the oldest scanned attempt a list_events look starts: events precede their first delivery. */
export const EVENT_LEAD_MS = 3_600_000;

/** Where a chain stands: its partition, the cursor of its next page, and the pages read before it. */
export interface ChainPosition {
  partition: Partition;
  cursor?: string;
  pagesRead: number;
}

/** A chain to follow, from its first page or on from a cursor the head page gave. */
export interface PlannedChain extends ChainPosition {
  /** Estimated attempts per ms of history (from the head page's type mix and span); 0 = no sign of any. */
  rate: number;
}

export interface ChainPlan {
  /** The head pages' attempts inside the window, newest first; `whole`: its outcome was read in full there. */
  inWindow: { attempt: WebhookAttempt; ms: number; whole: boolean }[];
  /** Outcomes whose head page was read. */
  headRead: Set<boolean>;
  /** Outcomes whose head page held the whole window (or the caller's stop): every type of it was read. */
  wholeOutcome: Set<boolean>;
  /** The chains past the heads, longest first. */
  chains: PlannedChain[];
}

/** The newest page of each outcome: unfiltered, or of the one eventType. */
export function headPartitions(eventType: string | undefined): Partition[] {
  return SUCCESS_FLAGS.map((successful) => (eventType === undefined ? { successful } : { eventType, successful }));
}

/**
 * Longest chains first: a chain is sequential (each cursor comes from the page before), so the scan
 * cannot end before its longest chain, and one started last would run alone at the end while the other
 * lanes sit idle. Ties (and chains with no estimate) in type order, failed first.
 */
function longestFirst(a: PlannedChain, b: PlannedChain): number {
  const typeA = a.partition.eventType ?? "";
  const typeB = b.partition.eventType ?? "";
  return (
    b.rate - a.rate ||
    (typeA < typeB ? -1 : typeA > typeB ? 1 : 0) ||
    Number(a.partition.successful) - Number(b.partition.successful)
  );
}

/** Newest first; equal instants by attempt id, so the fold order never depends on arrival order. */
function newestFirst(a: { attempt: WebhookAttempt; ms: number }, b: { attempt: WebhookAttempt; ms: number }) {
  return b.ms - a.ms || (a.attempt.id < b.attempt.id ? 1 : a.attempt.id > b.attempt.id ? -1 : 0);
}

/**
 * Plans the chains from the head pages (undefined: unread). A type either head shows gets a chain for both
 * outcomes: its other outcome may be older than the other head's page. The fold records since and stops.
 */
export function planChains(
  heads: readonly { partition: Partition; page: Page<WebhookAttempt> | undefined }[],
  scope: { eventType: string | undefined; outOfTime: boolean },
  fold: AttemptFold,
): ChainPlan {
  const knownTypes = new Set<string>(EVENT_TYPES);
  for (const { page } of heads) for (const attempt of page?.data ?? []) knownTypes.add(attempt.eventType);
  const plan: ChainPlan = { inWindow: [], headRead: new Set(), wholeOutcome: new Set(), chains: [] };
  const chain = (partition: Partition, rate: number, cursor?: string): PlannedChain => ({
    partition,
    ...(cursor === undefined ? { pagesRead: 0 } : { cursor, pagesRead: 1 }),
    rate,
  });
  for (const { partition, page } of heads) {
    if (!page) {
      // Without the head, still page the known types: the recorded failure already says what is unknown.
      if (!scope.outOfTime && scope.eventType === undefined) {
        for (const typed of typedPartitions(knownTypes, [partition.successful])) plan.chains.push(chain(typed, 0));
      }
      continue;
    }
    plan.headRead.add(partition.successful);
    const { ended, typeCounts, spanMs } = readHead(partition, page, plan.inWindow, fold);
    // The head page is the newest slice of this outcome: a type's share of it over the time it spans
    // estimates how fast that chain's history accrues, hence its length (the same history for all).
    const rateOf = (eventType: string) => (typeCounts.get(eventType) ?? 0) / spanMs;
    if (ended || !page.hasMore || !page.nextCursor) {
      plan.wholeOutcome.add(partition.successful);
      for (const entry of plan.inWindow) if (entry.attempt.successful === partition.successful) entry.whole = true;
    } else if (scope.eventType !== undefined) {
      plan.chains.push(chain(partition, rateOf(scope.eventType), page.nextCursor));
    } else {
      for (const typed of typedPartitions(knownTypes, [partition.successful]))
        plan.chains.push(chain(typed, rateOf(typed.eventType ?? "")));
    }
  }
  plan.inWindow.sort(newestFirst);
  plan.chains.sort(longestFirst);
  return plan;
}

/** One head page's attempts in the window, its type mix and span; `ended` at since or the caller's stop. */
function readHead(
  partition: Partition,
  page: Page<WebhookAttempt>,
  inWindow: ChainPlan["inWindow"],
  fold: AttemptFold,
): { ended: boolean; typeCounts: Map<string, number>; spanMs: number } {
  let ended = false;
  const typeCounts = new Map<string, number>();
  let newestMs = Number.NEGATIVE_INFINITY;
  let oldestMs = Number.POSITIVE_INFINITY;
  for (const attempt of page.data) {
    if (!belongsTo(partition, attempt)) continue;
    const ms = timestampMillis(attempt.attemptedAt);
    if (fold.beforeSince(ms)) {
      ended = true;
      continue;
    }
    if (fold.stopsAt(partition, attempt, ms)) {
      ended = true;
      break;
    }
    inWindow.push({ attempt, ms, whole: false });
    typeCounts.set(attempt.eventType, (typeCounts.get(attempt.eventType) ?? 0) + 1);
    newestMs = Math.max(newestMs, ms);
    oldestMs = Math.min(oldestMs, ms);
  }
  return { ended, typeCounts, spanMs: Math.max(1, newestMs - oldestMs) };
}

/** The never-attempted check's window over the subscribed types (of the one eventType, if given). */
export interface EventsWindowPlan {
  /** The subscribed types, sorted (only the eventType, if given). */
  candidates: string[];
  toMs: number;
  /**
   * Where it starts: at since, else at the oldest scanned attempt (less `leadMs`), never before the
   * webhook existed, Exa's retention, or just after the newest attempt a chain stopped at.
   */
  fromMs(oldestScannedMs: number | undefined, leadMs: number, stoppedAtMs: number): number;
}

export function planEventsWindow(input: {
  subscribed: readonly string[] | undefined;
  eventType: string | undefined;
  createdAt: string | undefined;
  sinceMs: number | undefined;
  nowMs: number;
}): EventsWindowPlan {
  const subscribed = [...new Set(input.subscribed ?? [])].sort();
  const createdMs = input.createdAt === undefined ? Number.NEGATIVE_INFINITY : timestampMillis(input.createdAt);
  const { sinceMs, nowMs } = input;
  return {
    candidates: input.eventType === undefined ? subscribed : subscribed.filter((t) => t === input.eventType),
    toMs: nowMs - NEW_EVENT_GRACE_MS,
    // An event created after the stop point was attempted after it, hence read; one before may not have been.
    fromMs: (oldestScannedMs, leadMs, stoppedAtMs) =>
      Math.max(
        (sinceMs ?? oldestScannedMs ?? createdMs) - leadMs,
        createdMs,
        nowMs - EVENT_RETENTION_MS,
        stoppedAtMs + 1,
      ),
  };
}
