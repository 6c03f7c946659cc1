// What a watch reads from Exa, and the one health check it runs per changed webhook: the incremental
// diagnosis (it reads only attempts newer than what the store remembers; a plain scan without a store).
// I/O only through the Exa client and the store.
import { type DiagnoseMemory, diagnoseIncrementally, type WebhookDiagnosis } from "../diagnose/index.js";
import type { ExaClient } from "../exa/client.js";
import { ExaApiError } from "../exa/errors.js";
import type { Webhook } from "../exa/schemas.js";
import { rethrowShort } from "../format/tool-error.js";

/** One webhook's health, read in full: what a watch runs when the cheap change test says something moved. */
export type HealthCheck = (webhook: Webhook, signal: AbortSignal) => Promise<WebhookDiagnosis>;

export interface WatchSources {
  /** Every webhook of the account (GET /webhooks, all pages). */
  listWebhooks(signal: AbortSignal): Promise<Webhook[]>;
  /** The newest attempt's id (GET /webhooks/{id}/attempts?limit=1): the change test, one request. */
  newestAttemptId(webhookId: string, signal: AbortSignal): Promise<string | null>;
  check: HealthCheck;
  /** Now by Exa's clock. */
  now(): number;
}

const WEBHOOKS_PAGE_LIMIT = 200;
/** The watch lists at most this many webhooks, like diagnose_failures' fleet mode. */
export const MAX_WATCHED_WEBHOOKS = 1000;
/** Attempts one check reads: enough for the run of failures and the recent rate, bounded per tick. */
export const WATCH_MAX_ATTEMPTS = 2000;
const WATCH_CHECK_BUDGET_MS = 30_000;

export interface ExaWatchOptions {
  concurrency: number;
  senderIsLocal: boolean;
  /** Exa answered 429 even after the client's retries: the watch slows down. */
  onRateLimited(): void;
  /** The store the diagnosis builds on (and records verdicts in); undefined = a plain scan each time. */
  memory: DiagnoseMemory | undefined;
}

export function exaWatchSources(exa: ExaClient, options: ExaWatchOptions): WatchSources {
  const noting = <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: unknown) => {
      if (error instanceof ExaApiError && error.status === 429) options.onRateLimited();
      throw error;
    });
  return {
    async listWebhooks(signal) {
      const webhooks: Webhook[] = [];
      let cursor: string | undefined;
      do {
        const page = await noting(
          exa.listWebhooks({ limit: WEBHOOKS_PAGE_LIMIT, ...(cursor ? { cursor } : {}) }, signal),
        );
        webhooks.push(...page.data);
        cursor = page.hasMore && page.nextCursor ? page.nextCursor : undefined;
      } while (cursor && webhooks.length < MAX_WATCHED_WEBHOOKS);
      return webhooks.slice(0, MAX_WATCHED_WEBHOOKS);
    },
    async newestAttemptId(webhookId, signal) {
      const page = await noting(exa.listAttempts(webhookId, { limit: 1 }, signal));
      return page.data[0]?.id ?? null;
    },
    check: storedDiagnosis(exa, options, noting),
    now: () => exa.exaNow(),
  };
}

/** One webhook's diagnosis over every retained attempt (up to WATCH_MAX_ATTEMPTS), built on the store. */
function storedDiagnosis(
  exa: ExaClient,
  options: ExaWatchOptions,
  noting: <T>(work: Promise<T>) => Promise<T>,
): HealthCheck {
  return async (webhook, signal) => {
    const { diagnosis } = await diagnoseIncrementally({
      memory: options.memory,
      webhook,
      source: (query, s) => noting(exa.listAttempts(query.webhookId, query, s)).catch(rethrowShort),
      now: Date.now(),
      exaNow: () => exa.exaNow(),
      maxAttempts: WATCH_MAX_ATTEMPTS,
      concurrency: options.concurrency,
      senderIsLocal: options.senderIsLocal,
      deadline: Date.now() + WATCH_CHECK_BUDGET_MS,
      signal,
    });
    return diagnosis;
  };
}
