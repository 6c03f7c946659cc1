// The attempts made since a remembered scan: each outcome's unfiltered chain, newest first, down to the first
// attempt already remembered (or older than the newest one). The first pages are asked for while the store
// is still being read, down to the newest attempt its index names; the rest, if any, once the store is read.
import type { Page, WebhookAttempt } from "../exa/schemas.js";
import type { RememberedScan } from "./incremental-days.js";
import type { RememberedAttempt } from "./incremental-records.js";
import { SUCCESS_FLAGS } from "./partitions.js";
import { ATTEMPTS_PAGE_LIMIT, type AttemptPageSource } from "./scan.js";
import { timestampMillis } from "./timestamps.js";

/** Pages per outcome asked for before the store is read: 1,000 new attempts take about 6 in all. */
const EARLY_PAGES = 5;

export interface NewAttemptsChains {
  webhookId: string;
  source: AttemptPageSource;
  /** The client's cancellation and the time budget. */
  signal: AbortSignal;
}

/** The pages one outcome's chain gave before the store was read; `failed`: its next page could not be read. */
interface EarlyPages {
  pages: Page<WebhookAttempt>[];
  failed: boolean;
}

export interface NewAttemptsRead {
  pages: number;
  added: RememberedAttempt[];
}

const pageQuery = (chains: NewAttemptsChains, successful: boolean, cursor: string | undefined) => ({
  webhookId: chains.webhookId,
  successful,
  limit: ATTEMPTS_PAGE_LIMIT,
  ...(cursor ? { cursor } : {}),
});

/**
 * Starts paging each outcome's chain down to the newest attempt the index names (at most EARLY_PAGES).
 * Never rejects: a failed page ends the early read, and readNewAttempts asks for it again.
 */
export function readEarlyPages(
  chains: NewAttemptsChains,
  savedNewestMs: ReadonlyMap<boolean, number>,
): Map<boolean, Promise<EarlyPages>> {
  const readChain = async (successful: boolean): Promise<EarlyPages> => {
    const stopMs = savedNewestMs.get(successful) ?? Number.NEGATIVE_INFINITY;
    const pages: Page<WebhookAttempt>[] = [];
    try {
      while (pages.length < EARLY_PAGES) {
        const page = await chains.source(
          pageQuery(chains, successful, pages.at(-1)?.nextCursor ?? undefined),
          chains.signal,
        );
        pages.push(page);
        const reached = page.data.some((a) => a.successful === successful && timestampMillis(a.attemptedAt) < stopMs);
        if (reached || !page.hasMore || !page.nextCursor) break;
      }
      return { pages, failed: false };
    } catch {
      return { pages, failed: true };
    }
  };
  return new Map(SUCCESS_FLAGS.map((successful) => [successful, readChain(successful)]));
}

/**
 * Adds to `stored` each outcome's attempts newer than what it remembers: the early pages first, then on from
 * where they ended. Undefined when a page could not be read.
 */
export async function readNewAttempts(
  chains: NewAttemptsChains,
  stored: RememberedScan,
  early: Map<boolean, Promise<EarlyPages>> | undefined,
): Promise<NewAttemptsRead | undefined> {
  let pages = 0;
  const added: RememberedAttempt[] = [];
  const { remembered } = stored;
  /** Adds the page's new attempts; true once the chain reaches what is remembered. */
  const take = (page: Page<WebhookAttempt>, successful: boolean, newest: number): boolean => {
    for (const attempt of page.data) {
      if (attempt.successful !== successful) continue;
      if (remembered.byId.has(attempt.id) || timestampMillis(attempt.attemptedAt) < newest) return true;
      remembered.addRead(attempt);
      added.push(remembered.byId.get(attempt.id) as RememberedAttempt);
    }
    return !page.hasMore || !page.nextCursor;
  };
  const readChain = async (successful: boolean) => {
    const newest = stored.newestMs.get(successful) ?? Number.NEGATIVE_INFINITY;
    const first = (await early?.get(successful))?.pages ?? [];
    pages += first.length;
    for (const page of first) if (take(page, successful, newest)) return;
    let cursor = first.at(-1)?.nextCursor ?? undefined;
    for (;;) {
      const page = await chains.source(pageQuery(chains, successful, cursor), chains.signal);
      pages++;
      if (take(page, successful, newest)) return;
      cursor = page.nextCursor ?? undefined;
    }
  };
  try {
    await Promise.all(SUCCESS_FLAGS.map(readChain));
  } catch {
    return undefined;
  }
  return { pages, added };
}
