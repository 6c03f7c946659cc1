// redeliver_events' structuredContent: the one definition of the contract; the types are inferred from it.
// Kept lean: every byte of it is in tools/list, which a model reads on every turn. The failures grouped by
// cause (with hints) are in the text; they follow from `results`.
import { z } from "zod";

/** Listed event ids one call takes at most. */
export const MAX_LISTED = 500;
/** Events one call sends at most (maxEvents' ceiling). */
export const MAX_EVENTS = 1000;
export const DEFAULT_MAX_EVENTS = 100;

const plannedEventOutput = z.object({
  eventId: z.string(),
  /** Null when the event was not read: unknown to Exa, or the time budget ran out first. */
  type: z.string().nullable(),
  createdAt: z.string().nullable(),
  /** Older than Exa's 60-day retention, or answered 404: skipped. */
  expired: z.boolean(),
  /** False for an event of a type the webhook does not subscribe to (sent anyway). */
  subscribed: z.boolean().nullable(),
  skipped: z.enum(["expired", "not_found", "exa_error"]).optional(),
});
export type PlannedEvent = z.infer<typeof plannedEventOutput>;

const redeliveryResultOutput = z.object({
  eventId: z.string(),
  /** 0 when the receiver gave no complete HTTP answer. */
  statusCode: z.number(),
  ok: z.boolean(),
  /** The diagnose category (CATEGORIES) of a failed POST; null when it succeeded. A string: the enum costs tools/list bytes. */
  category: z.string().nullable(),
  durationMs: z.number(),
  /** The receiver's response (untrusted) as diagnose samples it: one line, markup and hidden characters removed, at most 300 characters. */
  response: z.string(),
});
export type RedeliveryResult = z.infer<typeof redeliveryResultOutput>;

export const redeliveryOutput = z.object({
  webhookId: z.string(),
  targetUrl: z.string(),
  dryRun: z.boolean(),
  planned: z.array(plannedEventOutput),
  results: z.array(redeliveryResultOutput).optional(),
  delivered: z.number(),
  failed: z.number(),
  skipped: z.number(),
  /** Neither sent nor skipped: the time budget ran out first. Their ids, to send in a next call. */
  notSent: z.array(z.string()),
  /** Accepted (2xx) by an earlier redelivery (at this target; with undelivered:true at any), with when: not sent again unless force. */
  alreadyDelivered: z.array(z.object({ eventId: z.string(), at: z.string() })),
  /** Claimed (at) by an earlier run whose outcome is unknown (killed before recording, or timed out; the text says which): not sent unless force. */
  outcomeUnknown: z.array(z.object({ eventId: z.string(), at: z.string() })),
  /** Not sent: the store failed and could not claim them (nothing is sent unclaimed). */
  notClaimed: z.array(z.string()),
  /** False when no store is open: nothing of this run is remembered (the text says why). */
  remembered: z.boolean(),
  /** Every POST carries these; the signature is shown as its format. */
  headers: z.record(z.string(), z.string()),
  /** False when the discovery of undelivered events or the run itself was cut short. */
  complete: z.boolean(),
  incompleteReason: z.string().optional(),
});
export type RedeliveryOutput = z.infer<typeof redeliveryOutput>;
