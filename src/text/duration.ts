// The one grammar for a span of time people type: "1500ms", "90s", "30m", "24h", "7d", "2w", "1.5h".
// `since`, the watch's --interval and --cooldown all read spans with it; each caller words its own refusal.

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const SPAN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/i;

/**
 * Milliseconds of `text`, or undefined when it is not a span. A bare number takes `bareUnit` (the watch reads
 * "60" as seconds), or is not a span when none is given (`since: "60"` is ambiguous).
 */
export function parseSpanMs(text: string, bareUnit?: keyof typeof UNIT_MS): number | undefined {
  const match = SPAN.exec(text.trim());
  const unit = match?.[2]?.toLowerCase() ?? bareUnit;
  const unitMs = unit === undefined ? undefined : UNIT_MS[unit];
  if (!match || unitMs === undefined) return undefined;
  return Math.round(Number(match[1]) * unitMs);
}
