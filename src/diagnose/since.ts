// Parses the `since` argument: what a person or model types ("24h", "7d") or an exact ISO timestamp.
import { ToolInputError } from "../errors.js";

const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const RELATIVE = /^(\d+)\s*([smhdw])$/i;
// Require a date-shaped prefix: Date.parse alone accepts things like "1" or "March".
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

const EXPECTED = 'Use a span like "90s", "30m", "24h", "7d", "2w", or an ISO timestamp like "2026-01-31T12:00:00Z".';

/** The instant `input` denotes, relative to `now` for spans. Throws a ToolInputError that says what is accepted. */
export function parseSince(input: string, now: Date): Date {
  const text = input.trim();
  const shown = JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
  const relative = RELATIVE.exec(text);
  if (relative) {
    const amount = Number(relative[1]);
    const unit = (relative[2] ?? "").toLowerCase();
    const unitMs = UNIT_MS[unit];
    if (amount <= 0 || unitMs === undefined)
      throw new ToolInputError(`since ${shown} must be a positive span. ${EXPECTED}`);
    return new Date(now.getTime() - amount * unitMs);
  }
  if (ISO_LIKE.test(text)) {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new ToolInputError(`since ${shown} is not a valid date. ${EXPECTED}`);
    if (ms > now.getTime())
      throw new ToolInputError(`since ${shown} is in the future (now is ${now.toISOString()}). ${EXPECTED}`);
    return new Date(ms);
  }
  throw new ToolInputError(`since ${shown} is not understood. ${EXPECTED}`);
}
