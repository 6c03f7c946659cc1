// What an Exa id may look like, and how one becomes a path segment. One place, so the tools' input
// schemas and the client agree, and "../events" or "a/b" can never reach another endpoint.

export const ID_PATTERN = /^[A-Za-z0-9_:-][A-Za-z0-9_.:-]{0,199}$/;

export class InvalidIdError extends Error {
  readonly field: string;
  constructor(field: string, value: string) {
    super(`${field} "${value.slice(0, 60)}" is not a valid id (letters, digits, "_", "-", ":" and "." only).`);
    this.name = "InvalidIdError";
    this.field = field;
  }
}

export function isValidId(value: string): boolean {
  return ID_PATTERN.test(value) && !value.includes("..");
}

/** An id as one encoded path segment; throws InvalidIdError for anything that could escape its segment. */
export function pathSegment(field: string, value: string): string {
  if (!isValidId(value)) throw new InvalidIdError(field, value);
  return encodeURIComponent(value);
}
