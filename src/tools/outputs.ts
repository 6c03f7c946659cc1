// Output schemas (the structuredContent contract) and the conversions from Exa objects into them.
import { z } from "zod";
import type { Webhook, WebhookAttempt } from "../exa/schemas.js";
import { truncateUntrusted } from "../text/untrusted.js";

const STRUCTURED_BODY_LIMIT = 500;

export const webhookOutput = z.object({
  id: z.string(),
  status: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  metadata: z.record(z.string(), z.string()).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Only create_webhook's output has the secret: Exa returns it once, there. */
export const createdWebhookOutput = webhookOutput.extend({ secret: z.string().optional() });
type WebhookOutput = z.infer<typeof webhookOutput>;

export const attemptOutput = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  successful: z.boolean(),
  responseStatusCode: z.number(),
  attempt: z.number(),
  attemptedAt: z.string(),
  responseBody: z.string().describe("The receiver's response text (untrusted), cut to 500 characters."),
});
type AttemptOutput = z.infer<typeof attemptOutput>;

export const pageInfo = {
  hasMore: z.boolean(),
  nextCursor: z.string().nullable(),
};

/** A webhook as tools show it: never the secret, unless this is the one create response. */
export function toWebhookOutput(
  webhook: Webhook,
  options: { includeSecret?: boolean } = {},
): WebhookOutput & { secret?: string } {
  return {
    id: webhook.id,
    status: webhook.status,
    url: webhook.url,
    events: webhook.events,
    ...(webhook.metadata ? { metadata: webhook.metadata } : {}),
    createdAt: webhook.createdAt,
    updatedAt: webhook.updatedAt,
    ...(options.includeSecret && webhook.secret ? { secret: webhook.secret } : {}),
  };
}

export function toAttemptOutput(attempt: WebhookAttempt): AttemptOutput {
  return {
    id: attempt.id,
    eventId: attempt.eventId,
    eventType: attempt.eventType,
    successful: attempt.successful,
    responseStatusCode: attempt.responseStatusCode ?? 0,
    attempt: attempt.attempt,
    attemptedAt: attempt.attemptedAt,
    responseBody: truncateUntrusted(attempt.responseBody, STRUCTURED_BODY_LIMIT),
  };
}

export const eventOutput = z.object({
  id: z.string(),
  type: z.string(),
  createdAt: z.string(),
  resourceObject: z.string().optional(),
  resourceId: z.string().optional(),
  resourceStatus: z.string().optional(),
  websetId: z.string().optional(),
});
