// Zod schemas of what Exa returns. Tolerant: extra fields are dropped, optional/null fields accepted,
// and an event type we do not know yet is kept as a string rather than failing the whole page.
// Only fields the tools use are kept (attempts' responseHeaders are not): a 100k-attempt diagnosis copies
// every kept field of every attempt.
import { z } from "zod";
import { untrustedTimestamp } from "../text/untrusted.js";

const metadata = z.record(z.string(), z.string()).nullish();

/**
 * An RFC 3339 date-time on one line, the only shape Exa sends. Checked here, once, so nothing above prints a
 * timestamp that could start a line of its own.
 */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;

/** A timestamp kept as Exa wrote it, or, when it is not one, as the quoted untrusted text it is. */
function checkedTimestamp(value: string): string {
  return TIMESTAMP.test(value) ? value : untrustedTimestamp(value);
}

const timestamp = z.string().transform(checkedTimestamp);

export const webhookSchema = z.object({
  id: z.string(),
  object: z.string().optional(),
  status: z.string(),
  events: z.array(z.string()),
  url: z.string(),
  secret: z.string().nullish(),
  metadata,
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Webhook = z.infer<typeof webhookSchema>;

const webhookAttemptFields = z.object({
  id: z.string(),
  object: z.string().optional(),
  eventId: z.string(),
  eventType: z.string(),
  webhookId: z.string(),
  url: z.string(),
  successful: z.boolean(),
  responseBody: z.string().nullish(),
  responseStatusCode: z.number().nullish(),
  attempt: z.number(),
  attemptedAt: z.string(),
});
export type WebhookAttempt = z.infer<typeof webhookAttemptFields>;

/**
 * Attempt pages are a diagnosis's hot path (100 000 attempts = 500 pages), so each attempt is checked in place
 * with the same rules instead of copied by a zod object (which allocates per field); a wire field no tool uses
 * (responseHeaders) stays on it and goes with the page. Only a failing attempt goes through zod, for the message.
 */
export const webhookAttemptSchema = z
  .custom<WebhookAttempt>(isWebhookAttempt, {
    error: (issue) => {
      const first = webhookAttemptFields.safeParse(issue.input).error?.issues[0];
      return first ? `${first.message}${first.path.length ? ` at ${first.path.join(".")}` : ""}` : "invalid attempt";
    },
  })
  // Copied only when its timestamp is not one: the hot path keeps the attempt it was given.
  .transform((attempt) => {
    const attemptedAt = checkedTimestamp(attempt.attemptedAt);
    return attemptedAt === attempt.attemptedAt ? attempt : { ...attempt, attemptedAt };
  });

function isWebhookAttempt(value: unknown): value is WebhookAttempt {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const attempt = value as Record<string, unknown>;
  return (
    typeof attempt.id === "string" &&
    (attempt.object === undefined || typeof attempt.object === "string") &&
    typeof attempt.eventId === "string" &&
    typeof attempt.eventType === "string" &&
    typeof attempt.webhookId === "string" &&
    typeof attempt.url === "string" &&
    typeof attempt.successful === "boolean" &&
    nullish(attempt.responseBody, "string") &&
    nullish(attempt.responseStatusCode, "number") &&
    Number.isFinite(attempt.responseStatusCode ?? 0) &&
    typeof attempt.attempt === "number" &&
    Number.isFinite(attempt.attempt) &&
    typeof attempt.attemptedAt === "string"
  );
}

function nullish(field: unknown, type: "string" | "number"): boolean {
  return field === undefined || field === null || typeof field === type;
}

export const eventSchema = z.object({
  id: z.string(),
  object: z.string().optional(),
  type: z.string(),
  data: z.unknown(),
  createdAt: timestamp,
});
export type ExaEvent = z.infer<typeof eventSchema>;

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    hasMore: z.boolean().optional().default(false),
    nextCursor: z.string().nullish(),
  });
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
  nextCursor?: string | null;
}

/** An attempt as Exa sends it over the wire (what the emulator serves); the client keeps WebhookAttempt. */
export interface WebhookAttemptWire extends WebhookAttempt {
  responseHeaders: Record<string, string>;
}
