// Object helpers shared by the client (query strings) and the formatters (structured summaries).

/** A copy of `value` without its undefined fields, so they neither serialize as noise nor reach a query. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
