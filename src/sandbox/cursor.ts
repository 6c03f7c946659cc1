// Opaque pagination cursors: base64url JSON of {f: the filter the cursor was made for, p: index positions}.
// Carrying the filter lets a cursor be rejected when reused with other filters instead of paging wrongly.
import { badRequest } from "./errors.js";

interface CursorPayload {
  f: string;
  p: number[];
}

export function encodeCursor(filterKey: string, positions: readonly number[]): string {
  const payload: CursorPayload = { f: filterKey, p: [...positions] };
  return Buffer.from(JSON.stringify(payload)).toString("base64url");
}

/**
 * Validates a cursor against the current request's filter and the index sizes it points into.
 * Throws a 400 ApiError for anything that is not a cursor this emulator issued for this query.
 */
export function decodeCursor(cursor: string, filterKey: string, sourceSizes: readonly number[]): number[] {
  if (cursor.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw badRequest("Invalid cursor");
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badRequest("Invalid cursor");
  }
  if (!isCursorPayload(payload)) throw badRequest("Invalid cursor");
  if (payload.f !== filterKey) throw badRequest("Cursor does not match the query parameters it was issued for");
  const { p } = payload;
  const inRange = p.length === sourceSizes.length && p.every((i, k) => i >= -1 && i < (sourceSizes[k] ?? 0));
  if (!inRange) throw badRequest("Invalid cursor");
  return p;
}

function isCursorPayload(value: unknown): value is CursorPayload {
  if (typeof value !== "object" || value === null) return false;
  const { f, p } = value as Record<string, unknown>;
  return typeof f === "string" && Array.isArray(p) && p.every((i) => Number.isSafeInteger(i));
}
