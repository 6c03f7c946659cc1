// The Exa Websets webhooks API as typed methods. Builds paths from validated segments; never formats text.

import { definedOnly } from "../text/objects.js";
import { ExaApiError, ExaWriteUnconfirmedError } from "./errors.js";
import {
  DEFAULT_MAX_BODY_BYTES,
  type ExaHttpOptions,
  exaRequest,
  exaRequestWithBody,
  type RetryNotice,
} from "./http.js";
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
  /** Largest answer body read (default 8 MB). */
  maxBodyBytes?: number;
  onRetry?: (notice: RetryNotice) => void;
}

/** How a delete is known to have happened. */
export type DeleteConfirmation =
  /** Exa answered with the deleted webhook. */
  | "body"
  /** Exa answered 2xx without a readable webhook (204, an empty or unreadable body). */
  | "2xx"
  /** The first try's answer was lost and the retry got 404: the first try deleted it. */
  | "retry";

export interface DeleteResult {
  webhookId: string;
  webhook: Webhook | undefined;
  confirmed: DeleteConfirmation;
}

/** Exa documents limit as 1..200 with a default of 25; with no limit asked, a page is cut at the maximum. */
const MAX_PAGE_LIMIT = 200;

const webhookPage = pageSchema(webhookSchema);
const attemptPage = pageSchema(webhookAttemptSchema);
const eventPage = pageSchema(eventSchema);

/** How far a Date header (whole seconds, a round trip old) can differ from a clock that agrees with it. */
const DATE_HEADER_PRECISION_MS = 2_000;

export class ExaClient {
  private readonly http: ExaHttpOptions;
  /** Exa's clock minus ours, from the newest answer's Date header; undefined before one arrives. */
  private clockOffsetMs: number | undefined;

  constructor(options: ExaClientOptions) {
    this.http = {
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs ?? 30_000,
      retryBaseMs: options.retryBaseMs ?? 500,
      userAgent: options.userAgent ?? "exa-webhooks-mcp",
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
      onDate: (date) => {
        const ms = date === null ? Number.NaN : Date.parse(date);
        if (!Number.isFinite(ms)) return;
        // The header names a whole second and arrives a round trip late: a difference within that is its
        // precision, not skew, and taking it as skew would make finished retries look recent.
        const offset = ms - Date.now();
        this.clockOffsetMs = Math.abs(offset) <= DATE_HEADER_PRECISION_MS ? 0 : offset;
      },
    };
  }

  /**
   * Now by Exa's clock (its last Date header, to the second), else ours: attempt times are Exa's, so "recent"
   * is judged against Exa, and a local clock that is off does not make old failures look like retries.
   */
  exaNow(): number {
    return Date.now() + (this.clockOffsetMs ?? 0);
  }

  async listWebhooks(params: PageParams, signal?: AbortSignal): Promise<Page<Webhook>> {
    const page = await exaRequest(this.http, {
      method: "GET",
      path: "/webhooks",
      query: { limit: params.limit, cursor: params.cursor },
      schema: webhookPage,
      signal,
    });
    return cutToLimit(page, params.limit);
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

  async updateWebhook(webhookId: string, changes: WebhookChanges, signal?: AbortSignal): Promise<Webhook> {
    try {
      return await exaRequest(this.http, {
        method: "PATCH",
        path: `/webhooks/${pathSegment("webhookId", webhookId)}`,
        body: definedOnly(changes),
        schema: webhookSchema,
        signal,
      });
    } catch (error) {
      // A PATCH cannot remove a webhook: a 404 on the retry says it does not exist, whatever the first try did.
      if (error instanceof ExaWriteUnconfirmedError && isNotFound(error.final)) throw error.final;
      throw error;
    }
  }

  async deleteWebhook(webhookId: string, signal?: AbortSignal): Promise<DeleteResult> {
    try {
      const webhook = await exaRequest(this.http, {
        method: "DELETE",
        path: `/webhooks/${pathSegment("webhookId", webhookId)}`,
        schema: webhookSchema.optional(),
        signal,
      });
      return { webhookId, webhook, confirmed: webhook ? "body" : "2xx" };
    } catch (error) {
      if (!(error instanceof ExaWriteUnconfirmedError)) throw error;
      if (error.lost.kind === "unreadable") return { webhookId, webhook: undefined, confirmed: "2xx" };
      if (isNotFound(error.final)) return { webhookId, webhook: undefined, confirmed: "retry" };
      throw error;
    }
  }

  async listAttempts(webhookId: string, query: AttemptQuery, signal?: AbortSignal): Promise<Page<WebhookAttempt>> {
    const page = await exaRequest(this.http, {
      method: "GET",
      path: `/webhooks/${pathSegment("webhookId", webhookId)}/attempts`,
      query: { limit: query.limit, cursor: query.cursor, eventType: query.eventType, successful: query.successful },
      schema: attemptPage,
      signal,
    });
    return cutToLimit(page, query.limit);
  }

  async listEvents(query: EventQuery, signal?: AbortSignal): Promise<Page<ExaEvent>> {
    return cutToLimit(await exaRequest(this.http, this.eventsRequest(query, signal)), query.limit);
  }

  /**
   * A page of events and its body exactly as Exa sent it (listen forwards each event's own bytes). Not cut to
   * the limit: the raw body must match the parsed page item for item.
   */
  listEventsWithBody(query: EventQuery, signal?: AbortSignal) {
    return exaRequestWithBody(this.http, this.eventsRequest(query, signal));
  }

  private eventsRequest(query: EventQuery, signal: AbortSignal | undefined) {
    return {
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
    } as const;
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

function isNotFound(error: unknown): boolean {
  return error instanceof ExaApiError && error.status === 404;
}

/**
 * A page never holds more than was asked for, whatever the upstream sends. Items past the limit are dropped,
 * and the page then says more exist, so a model never takes a cut page for the whole list.
 */
function cutToLimit<T>(page: Page<T>, limit: number | undefined): Page<T> {
  const max = limit ?? MAX_PAGE_LIMIT;
  if (page.data.length <= max) return page;
  return { ...page, data: page.data.slice(0, max), hasMore: true };
}
