// How long Exa keeps an event: the one home of that number, for the scan's window, redelivery's skip and the
// words that explain both.

/** Exa deletes events this many days after they are created: older ones cannot be listed, fetched or replayed. */
export const EVENT_RETENTION_DAYS = 60;
export const EVENT_RETENTION_MS = EVENT_RETENTION_DAYS * 86_400_000;
