// How one webhook's attempt history is cut into disjoint streams that can be paged concurrently. The
// attempts endpoint is newest first and filters by eventType and successful, so each (type, successful)
// pair is an independent cursor chain; together they cover every attempt exactly once.
import type { WebhookAttempt } from "../exa/schemas.js";

export interface Partition {
  /** Undefined = every event type (used when no type list is known, and by the unfiltered probe). */
  eventType?: string;
  successful: boolean;
}

export const SUCCESS_FLAGS = [false, true] as const;

export function partitionLabel(partition: Partition): string {
  return `${partition.eventType ?? "all event types"}/${partition.successful ? "successful" : "failed"}`;
}

/**
 * Whether an attempt belongs to the partition. Checked client-side too: if a server ever ignored a filter,
 * partitions would overlap and double-count; dropping strays keeps them disjoint whatever the server does.
 */
export function belongsTo(partition: Partition, attempt: WebhookAttempt): boolean {
  return (
    attempt.successful === partition.successful &&
    (partition.eventType === undefined || attempt.eventType === partition.eventType)
  );
}

/** Typed partitions for the given success flags, in type order (the scan then orders them by size). */
export function typedPartitions(eventTypes: Iterable<string>, flags: readonly boolean[] = SUCCESS_FLAGS): Partition[] {
  return [...new Set(eventTypes)].sort().flatMap((eventType) => flags.map((successful) => ({ eventType, successful })));
}
