// Turns index arrays + query parameters into Exa's `{data, hasMore, nextCursor}` page.
import { decodeCursor, encodeCursor } from "../cursor.js";
import { parseCursor, parseLimit } from "../query.js";
import { type LogEntry, pageNewestFirst } from "../time-ordered-log.js";

export interface PageRequest<T> {
  query: URLSearchParams;
  /** Identifies the list and its filters; a cursor is only accepted for the same key. */
  filterKey: string;
  /** Disjoint index arrays (oldest first) merged newest first. */
  sources: readonly (readonly LogEntry<T>[])[];
  /** Where a first page starts in each source (default: its newest entry). */
  firstPositions?: readonly number[];
  /** Entries older than this end the page (inclusive lower bound, ms). */
  floorAt?: number;
  skip?: (value: T) => boolean;
}

export interface PageBody<R> {
  data: R[];
  hasMore: boolean;
  nextCursor: string | null;
}

export function pageOf<T, R>(request: PageRequest<T>, toResponse: (value: T) => R): PageBody<R> {
  const limit = parseLimit(request.query);
  const cursor = parseCursor(request.query);
  const sizes = request.sources.map((source) => source.length);
  const positions =
    cursor === undefined
      ? (request.firstPositions ?? sizes.map((size) => size - 1))
      : decodeCursor(cursor, request.filterKey, sizes);
  const { items, next } = pageNewestFirst(request.sources, positions, limit, request.floorAt, request.skip);
  return {
    data: items.map(toResponse),
    hasMore: next !== null,
    nextCursor: next === null ? null : encodeCursor(request.filterKey, next),
  };
}
