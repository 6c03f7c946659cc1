// Parses the `since` argument: what a person or model types ("24h", "7d") or an exact ISO timestamp.
import { ToolInputError } from "../errors.js";
import { parseSpanMs } from "../text/duration.js";

// Require a date-shaped prefix: Date.parse alone accepts things like "1" or "March".
const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$/i;

const EXPECTED = 'Use a span like "90s", "30m", "24h", "7d", "2w", or an ISO timestamp like "2026-01-31T12:00:00Z".';

/** The instant `input` denotes, relative to `now` for spans. Throws a ToolInputError that says what is accepted. */
export function parseSince(input: string, now: Date): Date {
  const text = input.trim();
  const shown = JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
  const spanMs = parseSpanMs(text);
  if (spanMs !== undefined) {
    if (spanMs <= 0) throw new ToolInputError(`since ${shown} must be a positive span. ${EXPECTED}`);
    const at = new Date(now.getTime() - spanMs);
    // A span past the range of dates (about 273,000 years) makes an Invalid Date that would crash later.
    if (Number.isNaN(at.getTime())) throw new ToolInputError(`since ${shown} reaches before any date. ${EXPECTED}`);
    return at;
  }
  const iso = ISO_LIKE.exec(text);
  if (iso) {
    const ms = Date.parse(text);
    // Date.parse rolls "2026-02-30" over to March 2; a day that is not in the calendar is a typo, not a date.
    if (Number.isNaN(ms) || !inCalendar(iso))
      throw new ToolInputError(`since ${shown} is not a valid date. ${EXPECTED}`);
    if (ms > now.getTime())
      throw new ToolInputError(`since ${shown} is in the future (now is ${now.toISOString()}). ${EXPECTED}`);
    return new Date(ms);
  }
  throw new ToolInputError(`since ${shown} is not understood. ${EXPECTED}`);
}

/** Whether each written field is in range: month 1-12, a day the month has, hours 0-23, minutes and seconds 0-59. */
function inCalendar(match: RegExpExecArray): boolean {
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offsetHours = 0, offsetMinutes = 0] = match
    .slice(1)
    .map((field) => (field === undefined ? 0 : Number(field)));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const within = (value: number, low: number, high: number) => value >= low && value <= high;
  return (
    within(month, 1, 12) &&
    within(day, 1, daysInMonth) &&
    within(hour, 0, 23) &&
    within(minute, 0, 59) &&
    within(second, 0, 59) &&
    within(offsetHours, 0, 23) &&
    within(offsetMinutes, 0, 59)
  );
}
