// Delivered vs failed attempts over time, counted while attempts stream in: at most MAX_TIMELINE_BUCKETS counters
// at any moment, never a list of attempts. Buckets start hourly and merge into coarser ones (a day, then 2, 4,
// 8... days) as soon as the span seen no longer fits, so the final size depends only on the oldest and newest
// attempt and the counts are the same for any arrival order.
import type { Timeline } from "./types.js";

export const MAX_TIMELINE_BUCKETS = 200;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Bucket sizes from fine to coarse; each divides the next, and all align to the epoch (UTC hours and days). */
function nextBucketMs(bucketMs: number): number {
  return bucketMs < DAY ? DAY : bucketMs * 2;
}

export interface TimelineCounter {
  /** One attempt at `ms` (epoch); an attempt without a valid time is not placed. */
  add(ms: number, successful: boolean): void;
  /** The buckets that hold attempts, oldest first. */
  result(): Timeline;
}

export function createTimelineCounter(): TimelineCounter {
  let bucketMs = HOUR;
  // Bucket index (start / bucketMs) → [delivered, failed].
  let buckets = new Map<number, [number, number]>();
  let minIndex = Number.POSITIVE_INFINITY;
  let maxIndex = Number.NEGATIVE_INFINITY;

  function coarsen(): void {
    while (maxIndex - minIndex + 1 > MAX_TIMELINE_BUCKETS) {
      const factor = nextBucketMs(bucketMs) / bucketMs;
      bucketMs *= factor;
      const merged = new Map<number, [number, number]>();
      for (const [index, [delivered, failed]] of buckets) {
        const coarse = Math.floor(index / factor);
        const counts = merged.get(coarse);
        if (counts) {
          counts[0] += delivered;
          counts[1] += failed;
        } else merged.set(coarse, [delivered, failed]);
      }
      buckets = merged;
      minIndex = Math.floor(minIndex / factor);
      maxIndex = Math.floor(maxIndex / factor);
    }
  }

  return {
    add(ms, successful) {
      if (!Number.isFinite(ms)) return;
      const index = Math.floor(ms / bucketMs);
      let counts = buckets.get(index);
      if (!counts) {
        counts = [0, 0];
        buckets.set(index, counts);
      }
      counts[successful ? 0 : 1]++;
      if (index < minIndex || index > maxIndex) {
        minIndex = Math.min(minIndex, index);
        maxIndex = Math.max(maxIndex, index);
        coarsen();
      }
    },

    result() {
      return {
        bucketMs,
        buckets: [...buckets]
          .sort((a, b) => a[0] - b[0])
          .map(([index, [delivered, failed]]) => ({
            start: new Date(index * bucketMs).toISOString(),
            delivered,
            failed,
          })),
      };
    },
  };
}
