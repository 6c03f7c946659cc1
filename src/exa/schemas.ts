// Zod schemas of what Exa returns. Tolerant: extra fields are dropped, optional/null fields accepted,
// and an event type we do not know yet is kept as a string rather than failing the whole page.
// Only fields the tools use are kept (attempts' responseHeaders are not): a 100k-attempt diagnosis copies
// every kept field of every attempt.
import { z } from "zod";

const metadata = z.record(z.string(), z.string()).nullish();

export const webhookSchema = z.object({
  id: z.string(),
  object: z.string().optional(),
  status: z.string(),
  events: z.array(z.string()),
  url: z.string(),
  secret: z.string().nullish(),
  metadata,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const webhookAttemptSchema = z.object({
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
export type WebhookAttempt = z.infer<typeof webhookAttemptSchema>;

export const eventSchema = z.object({
  id: z.string(),
  object: z.string().optional(),
  type: z.string(),
  data: z.unknown(),
  createdAt: z.string(),
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
