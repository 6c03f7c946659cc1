// One look at the event log: every page of GET /v0/events from `createdAfter` on, for these types, paged to
// the end (the list order is undocumented, so nothing is forwarded before the window is whole). Each event
// keeps its own bytes from the page.
import type { ExaClient } from "../exa/client.js";
import type { ListedEvent } from "./cursor.js";
import { rawEventTexts } from "./raw-events.js";

/** Exa's largest page. */
const PAGE_LIMIT = 200;

export interface EventWindow {
  events: ListedEvent[];
  /** The listing stopped at `stopAfterPages` with more to come: `events` is not the whole window. */
  cut?: boolean;
}

/** Exa answered a page whose events cannot be forwarded as sent (no data array, a createdAt that is no date). */
export class UnreadablePageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnreadablePageError";
  }
}

export async function listWindow(
  client: ExaClient,
  query: { types: readonly string[]; createdAfter: string | undefined; createdBefore?: string | undefined },
  signal?: AbortSignal,
  options?: { stopAfterPages?: number },
): Promise<EventWindow> {
  const events: ListedEvent[] = [];
  let cursor: string | undefined;
  for (let pages = 1; ; pages++) {
    const answer = await client.listEventsWithBody(
      {
        types: [...query.types],
        createdAfter: query.createdAfter,
        createdBefore: query.createdBefore,
        limit: PAGE_LIMIT,
        cursor,
      },
      signal,
    );
    const texts = rawEventTexts(answer.body);
    if (!texts || texts.length !== answer.value.data.length)
      throw new UnreadablePageError("Exa answered GET /events with a page whose events could not be read one by one.");
    answer.value.data.forEach((event, i) => {
      const at = Date.parse(event.createdAt);
      if (Number.isNaN(at))
        throw new UnreadablePageError(`Exa listed event ${event.id.slice(0, 80)} with a createdAt that is not a date.`);
      events.push({ id: event.id, type: event.type, createdAt: event.createdAt, at, raw: texts[i] as string });
    });
    cursor = answer.value.nextCursor ?? undefined;
    if (!answer.value.hasMore || !cursor) return { events };
    if (options?.stopAfterPages !== undefined && pages >= options.stopAfterPages) return { events, cut: true };
  }
}
