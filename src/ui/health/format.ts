// Words and numbers as the health view shows them, as the text says them (src/diagnose/render.ts is Node code
// the browser bundle must not pull in, hence its own few helpers; `plural` comes from the shared leaf
// src/text/words.ts, which imports nothing). Times are UTC, the same on every machine.
import type { Timeline, Verdict } from "../../diagnose/types.js";

/** Colour is never the only signal: each verdict has a word and a symbol too. */
export const VERDICT_LOOK: Record<Verdict, { word: string; symbol: string }> = {
  failing: { word: "Failing", symbol: "✕" },
  inactive: { word: "Inactive", symbol: "■" },
  unknown: { word: "Unknown", symbol: "?" },
  degraded: { word: "Degraded", symbol: "!" },
  no_traffic: { word: "No traffic", symbol: "–" },
  healthy: { word: "Healthy", symbol: "✓" },
};

export function percent(rate: number): string {
  if (rate === 0) return "0%";
  if (rate < 0.001) return "<0.1%";
  return `${Number((rate * 100).toFixed(1))}%`;
}

/** "2026-11-30 13:00 UTC"; the text as given when it is not a time. */
export function utc(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  const ms = typeof value === "number" ? value : Date.parse(value);
  if (Number.isNaN(ms)) return String(value);
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const HOUR = 3_600_000;

export function bucketWord(bucketMs: number): string {
  if (bucketMs === HOUR) return "hourly";
  if (bucketMs === 24 * HOUR) return "daily";
  return `every ${Math.round(bucketMs / (24 * HOUR))} days`;
}

export interface Bar {
  startMs: number;
  delivered: number;
  failed: number;
}

/** Every bucket from the first to the last with attempts, the empty ones as zeros (the contract leaves them out). */
export function bars(timeline: Timeline): Bar[] {
  const filled: Bar[] = [];
  const byStart = new Map(timeline.buckets.map((bucket) => [Date.parse(bucket.start), bucket]));
  const starts = [...byStart.keys()].filter((ms) => !Number.isNaN(ms));
  if (starts.length === 0 || timeline.bucketMs <= 0) return filled;
  const first = Math.min(...starts);
  const last = Math.max(...starts);
  for (let ms = first; ms <= last && filled.length < 1000; ms += timeline.bucketMs) {
    const bucket = byStart.get(ms);
    filled.push({ startMs: ms, delivered: bucket?.delivered ?? 0, failed: bucket?.failed ?? 0 });
  }
  return filled;
}
