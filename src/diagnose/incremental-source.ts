// The attempts endpoint answered from memory: what the store remembers plus what was just read, paged newest
// first with Exa's filters, so the one scan (scan.ts) diagnoses it exactly as it would Exa's own pages.
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Page, WebhookAttempt } from "../exa/schemas.js";
import type { RememberedAttempts } from "./incremental-records.js";
import type { AttemptPageSource } from "./scan.js";

export function rememberedAttemptSource(remembered: RememberedAttempts): AttemptPageSource {
  // The records themselves, in the endpoint's shape (their kept text as the body): no copy per attempt.
  const all: WebhookAttempt[] = remembered.newestFirst();
  // The lists the scan asks for (per outcome, and per type and outcome) filled in one pass, newest first;
  // a type with no attempt of an outcome has none. Any other filter is built on first use.
  const byOutcome = new Map<boolean, WebhookAttempt[]>([
    [false, []],
    [true, []],
  ]);
  const byType = new Map<boolean, Map<string, WebhookAttempt[]>>([
    [false, new Map()],
    [true, new Map()],
  ]);
  for (const attempt of all) {
    byOutcome.get(attempt.successful)?.push(attempt);
    const types = byType.get(attempt.successful) as Map<string, WebhookAttempt[]>;
    const list = types.get(attempt.eventType);
    if (list) list.push(attempt);
    else types.set(attempt.eventType, [attempt]);
  }
  const byTypeOnly = new Map<string, WebhookAttempt[]>();
  const filtered = (eventType: string | undefined, successful: boolean | undefined): WebhookAttempt[] => {
    if (successful === undefined && eventType === undefined) return all;
    if (successful !== undefined)
      return eventType === undefined
        ? (byOutcome.get(successful) ?? [])
        : (byType.get(successful)?.get(eventType) ?? []);
    let list = byTypeOnly.get(eventType as string);
    if (!list) {
      list = all.filter((a) => a.eventType === eventType);
      byTypeOnly.set(eventType as string, list);
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
