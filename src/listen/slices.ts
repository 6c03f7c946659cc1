// A poll's look at the event log cut into ascending time slices ([from, to], both inclusive, the next one
// from `to`), so a backfill forwards the first slice while the next is listed. The list order is
// undocumented, so a slice is handed out only once all its pages are in. The last slice is open-ended (no
// createdBefore), so nothing newer than Exa's clock at the start is missed. An event exactly at a border is
// listed by both slices; the cursor's seen ids keep the second listing out. A live poll (a short window)
// stays one open-ended slice: one listing, as before.
import type { ExaClient } from "../exa/client.js";
import type { ListedEvent } from "./cursor.js";
import { listWindow } from "./source.js";

export interface Slice {
  events: ListedEvent[];
}

export interface SliceSizes {
  /** A window shorter than this is listed as one slice (live polling). */
  wholeMs: number;
  /** The first slice's span. */
  firstMs: number;
  /** Events a slice aims at once events were found: listing it takes a few pages, forwarding it far longer. */
  targetEvents: number;
  /** The shortest slice: one this short is listed whole, however many pages it takes. */
  minMs: number;
}

export const DEFAULT_SLICE_SIZES: SliceSizes = {
  wholeMs: 5 * 60_000,
  firstMs: 5 * 60_000,
  targetEvents: 1_000,
  minMs: 1_000,
};

/** How much a slice may grow over the last one (an empty stretch of a 60-day backfill is crossed in a few). */
const MAX_GROWTH = 4;

export interface SlicedWindow {
  /** The next slice, listed whole; undefined after the open-ended last one. */
  next(): Promise<Slice | undefined>;
}

/**
 * The slices of the window from `from` to now (Exa's clock), each listed while the previous one is
 * forwarded. Until one with events is found, a slice with more than a page is not listed further but cut
 * to an eighth, so the first forward waits for a small listing, not for the whole backfill's.
 */
export function slicedWindow(
  client: ExaClient,
  query: { types: readonly string[]; from: string; seenUpTo: string },
  signal: AbortSignal,
  sizes: SliceSizes = DEFAULT_SLICE_SIZES,
): SlicedWindow {
  const nowMs = client.exaNow();
  let fromMs = Date.parse(query.from);
  // The first slice reaches the cursor's watermark, so it lists every id the cursor holds as seen.
  const firstEndMs = Date.parse(query.seenUpTo);
  let spanMs = nowMs - fromMs < sizes.wholeMs ? Number.POSITIVE_INFINITY : sizes.firstMs;
  let foundAny = false;
  let done = false;

  const listOne = async (): Promise<Slice | undefined> => {
    if (done) return undefined;
    for (;;) {
      const endMs = Math.max(fromMs + spanMs, firstEndMs);
      const open = endMs >= nowMs;
      const toMs = open ? undefined : endMs;
      const bounds = {
        types: query.types,
        createdAfter: new Date(fromMs).toISOString(),
        createdBefore: toMs === undefined ? undefined : new Date(toMs).toISOString(),
      };
      const shrinkable = !foundAny && Number.isFinite(spanMs) && spanMs > sizes.minMs;
      const window = await listWindow(client, bounds, signal, shrinkable ? { stopAfterPages: 1 } : undefined);
      if (window.cut) {
        // More than a page and nothing forwarded yet: a smaller first slice lets forwarding start sooner.
        spanMs = Math.max(sizes.minMs, Math.min(spanMs, nowMs - fromMs) / 8);
        continue;
      }
      const count = window.events.length;
      if (count > 0) foundAny = true;
      if (toMs === undefined) done = true;
      else {
        spanMs = toMs - fromMs;
        fromMs = toMs;
        const growth = count === 0 ? MAX_GROWTH : Math.min(MAX_GROWTH, sizes.targetEvents / count);
        spanMs = Math.max(sizes.minMs, spanMs * growth);
      }
      return { events: window.events };
    }
  };

  let ahead: Promise<Slice | undefined> | undefined;
  return {
    async next() {
      const slice = await (ahead ?? listOne());
      ahead = undefined;
      if (slice && !done) {
        ahead = listOne();
        // Observed when taken; one left behind by a stop has nothing to report.
        ahead.catch(() => {});
      }
      return slice;
    },
  };
}
