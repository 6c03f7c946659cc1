// What a scan did not read, from its structured cut causes: the words a model reads (incompleteReason, the
// first-line note) and the checks verdict, ranking and rendering make. Decisions read the structure; the
// text is only ever rendered from it.
import type { CutCause, Outcome } from "./types.js";

type Causes = readonly CutCause[] | undefined;

function partitionName(cause: Extract<CutCause, { kind: "partitionFailed" }>): string {
  return cause.eventType === null
    ? `the unfiltered probe of ${cause.outcome} attempts`
    : `the ${cause.eventType}/${cause.outcome} partition`;
}

/** One cause in full: what happened and what to do about it. */
export function causeText(cause: CutCause): string {
  switch (cause.kind) {
    case "since":
      return `limited to attempts since ${cause.at}; older attempts were not scanned`;
    case "maxAttempts":
      return `stopped at maxAttempts=${cause.maxAttempts} with more attempts in the window; raise maxAttempts or narrow with since/eventType`;
    case "budget": {
      const unread =
        cause.unreadOutcomes.length > 0 ? ` before any ${outcomesText(cause.unreadOutcomes)} were read` : "";
      return `the time budget ran out after ${cause.scanned} attempts${unread}; retry, or narrow with since/eventType`;
    }
    case "eventsCut":
      return cause.reason === "budget"
        ? `the time budget ran out listing events of its types after ${cause.listed}: more never-attempted events may exist; retry, or narrow with since`
        : `listing events of its types failed after ${cause.listed}: ${cause.error ?? "error"}; more never-attempted events may exist`;
    case "partitionFailed":
      return `${partitionName(cause)} failed: ${cause.error}`;
  }
}

/** One cause in a few words, for the answer line (the coverage line has the full text). */
export function shortCauseText(cause: CutCause): string {
  switch (cause.kind) {
    case "since":
      return `attempts since ${cause.at} only`;
    case "maxAttempts":
      return `stopped at maxAttempts=${cause.maxAttempts}`;
    case "budget":
      return "the time budget ran out";
    case "eventsCut":
      return cause.reason === "budget" ? "the time budget ran out listing events" : "listing events failed";
    case "partitionFailed":
      return `${partitionName(cause)} failed`;
  }
}

/** Causes in a fixed order (cap, time, failed pages by name, since), whatever order the scan met them in. */
export function sortCauses(causes: readonly CutCause[]): CutCause[] {
  const order: Record<CutCause["kind"], number> = {
    maxAttempts: 0,
    budget: 1,
    partitionFailed: 2,
    eventsCut: 3,
    since: 4,
  };
  return [...causes].sort((a, b) => {
    const byKind = order[a.kind] - order[b.kind];
    if (byKind !== 0) return byKind;
    // An outcome that could not be read at all says more than the typed pages that failed after it.
    const unread = (cause: CutCause) => (cause.kind === "partitionFailed" && cause.outcomeUnread ? 0 : 1);
    if (unread(a) !== unread(b)) return unread(a) - unread(b);
    const [x, y] = [causeText(a), causeText(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** One line from several texts; trailing periods go first so the join never reads "….;" or ".;". */
export function joinReasons(reasons: readonly string[]): string | undefined {
  const parts = reasons.map((reason) => reason.trim().replace(/[\s.]+$/, "")).filter((reason) => reason !== "");
  return parts.length > 0 ? parts.join("; ") : undefined;
}

const TYPES_NAMED = 3;

type PartitionFailed = Extract<CutCause, { kind: "partitionFailed" }>;

/** Several typed partitions of one outcome failing (a whole outcome down), as one sentence. */
function typedFailuresText(list: readonly PartitionFailed[]): string {
  const [first] = list;
  if (first === undefined) return "";
  if (list.length === 1) return causeText(first);
  const types = list.map((cause) => cause.eventType ?? "");
  const named = types.length > TYPES_NAMED ? `${types.slice(0, TYPES_NAMED).join(", ")}, …` : types.join(", ");
  return `${list.length} partitions of ${first.outcome} attempts failed (${named}), the first with: ${first.error}`;
}

/**
 * The causes in words, in order. Typed partitions of one outcome that failed read as one sentence (where
 * the first of them stands) naming a few types and the first error, not one sentence each.
 */
export function causeTexts(causes: readonly CutCause[]): string[] {
  const slots: (string | PartitionFailed[])[] = [];
  const typedFailures = new Map<Outcome, PartitionFailed[]>();
  for (const cause of causes) {
    if (cause.kind !== "partitionFailed" || cause.eventType === null || cause.outcomeUnread) {
      slots.push(causeText(cause));
      continue;
    }
    const list = typedFailures.get(cause.outcome);
    if (list) list.push(cause);
    else {
      const created = [cause];
      typedFailures.set(cause.outcome, created);
      slots.push(created);
    }
  }
  return slots.map((slot) => (typeof slot === "string" ? slot : typedFailuresText(slot)));
}

/** incompleteReason: the causes in words; undefined when nothing cut the scan. */
export function incompleteReason(causes: readonly CutCause[]): string | undefined {
  return joinReasons(causeTexts(causes));
}

/** Everything in the asked-for window was read (since alone may have cut older history off). */
export function coveredWindow(causes: Causes): boolean {
  return (causes ?? []).every((cause) => cause.kind === "since");
}

/** Causes other than since: what really left part of the window unread. */
export function gaps(causes: Causes): CutCause[] {
  return (causes ?? []).filter((cause) => cause.kind !== "since");
}

export function sinceCause(causes: Causes): Extract<CutCause, { kind: "since" }> | undefined {
  return (causes ?? []).find((cause) => cause.kind === "since");
}

/** Outcomes none of whose newest attempts were read: nothing about them, or the webhook's state, is known. */
export function unreadOutcomes(causes: Causes): Outcome[] {
  const unread = new Set<Outcome>();
  for (const cause of causes ?? []) {
    if (cause.kind === "budget") for (const outcome of cause.unreadOutcomes) unread.add(outcome);
    if (cause.kind === "partitionFailed" && cause.outcomeUnread) unread.add(cause.outcome);
  }
  return (["failed", "successful"] as const).filter((outcome) => unread.has(outcome));
}

/** The causes that left whole outcomes unread (not the typed pages that failed after them). */
export function unreadCauses(causes: Causes): CutCause[] {
  return (causes ?? []).filter(
    (cause) =>
      (cause.kind === "partitionFailed" && cause.outcomeUnread) ||
      (cause.kind === "budget" && cause.unreadOutcomes.length > 0),
  );
}

/** Some page of this outcome could not be read (a failed page, not a cap or the clock). */
export function outcomePagesFailed(causes: Causes, outcome: Outcome): boolean {
  return (causes ?? []).some((cause) => cause.kind === "partitionFailed" && cause.outcome === outcome);
}

/** A page of events still failed: never-attempted events may be missing from the count. */
export function eventsListingFailed(causes: Causes): boolean {
  return (causes ?? []).some((cause) => cause.kind === "eventsCut" && cause.reason === "failed");
}

/** "failed", "successful", or both: how the text names a set of outcomes. */
export function outcomesText(outcomes: readonly Outcome[]): string {
  return outcomes.length >= 2 ? "successful or failed attempts" : `${outcomes[0] ?? "failed"} attempts`;
}
