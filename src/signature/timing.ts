// Everything about t and the clock: millisecond detection, the tolerance window, and ages in words.

// Unix seconds pass 1e11 only in the year 5138; any larger t or `now` is a millisecond value.
const MILLISECONDS_THRESHOLD = 1e11;

function describeAge(seconds: number): string {
  const abs = Math.abs(seconds);
  if (abs < 120) return `${abs} s`;
  if (abs < 7200) return `${Math.round(abs / 60)} min`;
  if (abs < 172_800) return `${Math.round(abs / 3600)} h`;
  return `${Math.round(abs / 86_400)} days`;
}

export function describeWhen(ageSeconds: number): string {
  return `${describeAge(ageSeconds)} ${ageSeconds >= 0 ? "old" : "in the future"}`;
}

export function toSeconds(value: number): number {
  return value >= MILLISECONDS_THRESHOLD ? Math.floor(value / 1000) : value;
}

/** A timestamp problem as a clause (no leading capital, no full stop) so callers can frame it. */
interface TimeProblem {
  reason: "timestamp_in_milliseconds" | "timestamp_outside_tolerance";
  fact: string;
  nextStep: string;
}

export function timeProblem(t: string, now: number, tolerance: number): TimeProblem | null {
  const timestamp = Number(t);
  if (timestamp >= MILLISECONDS_THRESHOLD) {
    return {
      reason: "timestamp_in_milliseconds",
      fact: `t=${t} is in milliseconds where Exa's t is unix seconds`,
      nextStep:
        "Exa never sends millisecond timestamps, so other code (a test signer?) built this header; it should use Math.floor(Date.now() / 1000).",
    };
  }
  if (now >= MILLISECONDS_THRESHOLD) {
    return {
      reason: "timestamp_in_milliseconds",
      fact: "the current time used for the check is in milliseconds where t is unix seconds",
      nextStep:
        "Compare t with Math.floor(Date.now() / 1000); a receiver that uses Date.now() directly rejects every delivery as too old.",
    };
  }
  const age = now - timestamp;
  if (Math.abs(age) <= tolerance) return null;
  return {
    reason: "timestamp_outside_tolerance",
    fact: `t=${t} is ${describeWhen(age)}, beyond the ${tolerance} s tolerance`,
    nextStep:
      age > 0
        ? "For a captured delivery, check again with now set near t; if live deliveries fail like this, the receiver's clock is off or requests wait in a queue before verification."
        : "The receiver's clock is behind Exa's; sync it with NTP.",
  };
}
