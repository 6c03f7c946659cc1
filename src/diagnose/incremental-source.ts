// The attempts endpoint answered from memory: what the store remembers plus what was just read, paged newest
// first with Exa's filters, so the one scan (scan.ts) diagnoses it exactly as it would Exa's own pages.
import type { Page, WebhookAttempt } from "../exa/schemas.js";
import { asWebhookAttempt, type RememberedAttempts } from "./incremental-records.js";
import type { AttemptPageSource } from "./scan.js";

export function rememberedAttemptSource(remembered: RememberedAttempts): AttemptPageSource {
  const all = remembered.newestFirst().map(asWebhookAttempt);
  const byFilter = new Map<string, WebhookAttempt[]>();
  const filtered = (eventType: string | undefined, successful: boolean | undefined) => {
    const key = `${eventType ?? "*"}|${successful ?? "*"}`;
    let list = byFilter.get(key);
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
    signal.throwIfAborted();
    const list = filtered(query.eventType, query.successful);
    const start = query.cursor === undefined ? 0 : Number(query.cursor);
    const end = start + query.limit;
    const hasMore = end < list.length;
    return { data: list.slice(start, end), hasMore, nextCursor: hasMore ? String(end) : null };
  };
}
