// The Exa Websets webhooks API as typed methods. Builds paths from validated segments; never formats text.

import { definedOnly } from "../objects.js";
import { type ExaHttpOptions, exaRequest, exaRequestWithBody, type RetryNotice } from "./http.js";
import { pathSegment } from "./ids.js";
import {
  type ExaEvent,
  eventSchema,
  type Page,
  pageSchema,
  type Webhook,
  type WebhookAttempt,
  webhookAttemptSchema,
  webhookSchema,
} from "./schemas.js";

export interface PageParams {
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface AttemptQuery extends PageParams {
  eventType?: string | undefined;
  successful?: boolean | undefined;
}

export interface EventQuery extends PageParams {
  types?: string[] | undefined;
  createdAfter?: string | undefined;
  createdBefore?: string | undefined;
}

export interface WebhookInput {
  url: string;
  events: string[];
  metadata?: Record<string, string> | undefined;
}

export interface WebhookChanges {
  url?: string | undefined;
  events?: string[] | undefined;
  metadata?: Record<string, string> | undefined;
}

export interface ExaClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  retryBaseMs?: number;
  userAgent?: string;
  onRetry?: (notice: RetryNotice) => void;
}

const webhookPage = pageSchema(webhookSchema);
const attemptPage = pageSchema(webhookAttemptSchema);
const eventPage = pageSchema(eventSchema);

export class ExaClient {
  private readonly http: ExaHttpOptions;

  constructor(options: ExaClientOptions) {
    this.http = {
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs ?? 30_000,
      retryBaseMs: options.retryBaseMs ?? 500,
      userAgent: options.userAgent ?? "exa-webhooks-mcp",
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    };
  }

  listWebhooks(params: PageParams, signal?: AbortSignal): Promise<Page<Webhook>> {
    return exaRequest(this.http, {
      method: "GET",
      path: "/webhooks",
      query: { limit: params.limit, cursor: params.cursor },
      schema: webhookPage,
      signal,
    });
  }

  getWebhook(webhookId: string, signal?: AbortSignal): Promise<Webhook> {
    return exaRequest(this.http, {
      method: "GET",
      path: `/webhooks/${pathSegment("webhookId", webhookId)}`,
      schema: webhookSchema,
      signal,
    });
  }

  createWebhook(input: WebhookInput, signal?: AbortSignal): Promise<Webhook> {
    return exaRequest(this.http, {
      method: "POST",
      path: "/webhooks",
      body: definedOnly(input),
      schema: webhookSchema,
      signal,
    });
  }

  updateWebhook(webhookId: string, changes: WebhookChanges, signal?: AbortSignal): Promise<Webhook> {
    return exaRequest(this.http, {
      method: "PATCH",
      path: `/webhooks/${pathSegment("webhookId", webhookId)}`,
      body: definedOnly(changes),
      schema: webhookSchema,
      signal,
    });
  }

  deleteWebhook(webhookId: string, signal?: AbortSignal): Promise<Webhook> {
    return exaRequest(this.http, {
      method: "DELETE",
      path: `/webhooks/${pathSegment("webhookId", webhookId)}`,
      schema: webhookSchema,
      signal,
    });
  }

  listAttempts(webhookId: string, query: AttemptQuery, signal?: AbortSignal): Promise<Page<WebhookAttempt>> {
    return exaRequest(this.http, {
      method: "GET",
      path: `/webhooks/${pathSegment("webhookId", webhookId)}/attempts`,
      query: { limit: query.limit, cursor: query.cursor, eventType: query.eventType, successful: query.successful },
      schema: attemptPage,
      signal,
    });
  }

  listEvents(query: EventQuery, signal?: AbortSignal): Promise<Page<ExaEvent>> {
    return exaRequest(this.http, {
      method: "GET",
      path: "/events",
      query: {
        limit: query.limit,
        cursor: query.cursor,
        types: query.types,
        createdAfter: query.createdAfter,
        createdBefore: query.createdBefore,
      },
      schema: eventPage,
      signal,
    });
  }

  getEvent(eventId: string, signal?: AbortSignal): Promise<ExaEvent> {
    return exaRequest(this.http, this.eventRequest(eventId, signal));
  }

  /** The event and its JSON exactly as Exa sent it: a redelivery must POST (and sign) those very bytes. */
  async getEventWithBody(eventId: string, signal?: AbortSignal): Promise<{ event: ExaEvent; body: string }> {
    const { value, body } = await exaRequestWithBody(this.http, this.eventRequest(eventId, signal));
    return { event: value, body };
  }

  private eventRequest(eventId: string, signal: AbortSignal | undefined) {
    return { method: "GET", path: `/events/${pathSegment("eventId", eventId)}`, schema: eventSchema, signal } as const;
  }
}
