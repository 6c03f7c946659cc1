// The attempts endpoint answered from memory: what the store remembers plus what was just read, paged newest
// first with Exa's filters, so the one scan (scan.ts) diagnoses it exactly as it would Exa's own pages.
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Page, WebhookAttempt } from "../exa/schemas.js";
import type { RememberedAttempts } from "./incremental-records.js";
import type { AttemptPageSource } from "./scan.js";

const filterKey = (eventType: string | undefined, successful: boolean | undefined) =>
  `${eventType ?? "*"}|${successful ?? "*"}`;

export function rememberedAttemptSource(remembered: RememberedAttempts): AttemptPageSource {
  // The records themselves, in the endpoint's shape (their kept text as the body): no copy per attempt.
  const all: WebhookAttempt[] = remembered.newestFirst();
  // The lists the scan asks for (per outcome, and per type and outcome) filled in one pass, newest first;
  // any other filter is built on first use.
  const byFilter = new Map<string, WebhookAttempt[]>([[filterKey(undefined, undefined), all]]);
  const push = (key: string, attempt: WebhookAttempt) => {
    const list = byFilter.get(key);
    if (list) list.push(attempt);
    else byFilter.set(key, [attempt]);
  };
  for (const attempt of all) {
    push(filterKey(undefined, attempt.successful), attempt);
    push(filterKey(attempt.eventType, attempt.successful), attempt);
  }
  const filtered = (eventType: string | undefined, successful: boolean | undefined) => {
    const key = filterKey(eventType, successful);
    let list = byFilter.get(key);
    // Every (type, outcome) with an attempt has its list: a typed chain of any other type is empty.
    if (!list && eventType !== undefined && successful !== undefined) return [];
    if (!list) {
      list = all.filter(
        (a) =>
          (eventType === undefined || a.eventType === eventType) &&
          (successful === undefined || a.successful === successful),
      );
      byFilter.set(key, list);
    }
    return list;
  };
  return async (query, signal): Promise<Page<WebhookAttempt>> => {
    // A turn of the event loop per page: served from memory, the pages would otherwise hold it for the whole
    // fold, and the events listing's requests (real I/O) would wait for the fold instead of overlapping it.
    await nextTurn();
    signal.throwIfAborted();
    const list = filtered(query.eventType, query.successful);
    const start = query.cursor === undefined ? 0 : Number(query.cursor);
    const end = start + query.limit;
    const hasMore = end < list.length;
    return { data: list.slice(start, end), hasMore, nextCursor: hasMore ? String(end) : null };
  };
}
