// The timeline counter: at most 200 buckets whatever the span, hourly while that fits and then daily (or
// coarser), the same counts for any arrival order, and through the aggregator in every diagnosis.
import { describe, expect, it } from "vitest";
import { createAttemptAggregator } from "../../src/diagnose/aggregate.js";
import { createTimelineCounter, MAX_TIMELINE_BUCKETS } from "../../src/diagnose/timeline.js";
import { generateHistory, seeded, shuffle } from "./fixtures.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse("2026-11-24T00:00:00.000Z");

function counted(points: readonly { ms: number; ok: boolean }[]) {
  const counter = createTimelineCounter();
  for (const point of points) counter.add(point.ms, point.ok);
  return counter.result();
}

describe("timeline", () => {
  it("counts hourly within 200 hours: 6 days at 100%, then failures", () => {
    const points = [];
    for (let hour = 0; hour < 6 * 24; hour++) points.push({ ms: START + hour * HOUR + 60_000, ok: true });
    for (let hour = 0; hour < 10; hour++) points.push({ ms: START + (144 + hour) * HOUR + 5_000, ok: false });
    const timeline = counted(points);
    expect(timeline.bucketMs).toBe(HOUR);
    expect(timeline.buckets).toHaveLength(154);
    expect(timeline.buckets[0]).toEqual({ start: "2026-11-24T00:00:00.000Z", delivered: 1, failed: 0 });
    expect(timeline.buckets[144]).toEqual({ start: "2026-11-30T00:00:00.000Z", delivered: 0, failed: 1 });
  });

  it("turns daily past 200 hours, then to 2^n days, never more than 200 buckets", () => {
    const daily = counted([
      { ms: START, ok: true },
      { ms: START + 201 * HOUR, ok: false },
    ]);
    expect(daily.bucketMs).toBe(DAY);
    expect(daily.buckets).toEqual([
      { start: "2026-11-24T00:00:00.000Z", delivered: 1, failed: 0 },
      { start: "2026-12-02T00:00:00.000Z", delivered: 0, failed: 1 },
    ]);
    const years = createTimelineCounter();
    for (let day = 0; day < 3 * 365; day++) years.add(START + day * DAY, day % 3 === 0);
    const result = years.result();
    expect(result.bucketMs).toBe(8 * DAY);
    expect(result.buckets.length).toBeLessThanOrEqual(MAX_TIMELINE_BUCKETS);
    const total = result.buckets.reduce((sum, bucket) => sum + bucket.delivered + bucket.failed, 0);
    expect(total).toBe(3 * 365);
  });

  it("leaves out empty buckets and attempts without a valid time", () => {
    const timeline = counted([
      { ms: START, ok: true },
      { ms: START + 5 * HOUR, ok: false },
      { ms: Number.NEGATIVE_INFINITY, ok: false },
    ]);
    expect(timeline.buckets.map((bucket) => bucket.start)).toEqual([
      "2026-11-24T00:00:00.000Z",
      "2026-11-24T05:00:00.000Z",
    ]);
  });

  it("is the same for any arrival order, hourly or coarsened on the way", () => {
    const seed = Date.now() % 100_000;
    console.log(`timeline order seed: ${seed}`);
    const random = seeded(seed);
    const points = Array.from({ length: 3000 }, () => ({
      ms: START + Math.floor(random() * 40 * DAY),
      ok: random() > 0.3,
    }));
    const expected = counted(points);
    expect(expected.bucketMs).toBe(DAY);
    for (let round = 0; round < 5; round++) expect(counted(shuffle(points, random))).toEqual(expected);
  });

  it("comes with every aggregated summary, its counts those of the attempts", () => {
    const history = generateHistory(300, 7);
    const aggregator = createAttemptAggregator();
    for (const attempt of history) aggregator.add(attempt);
    const summary = aggregator.result();
    const buckets = summary.timeline?.buckets ?? [];
    expect(buckets.reduce((sum, bucket) => sum + bucket.failed, 0)).toBe(summary.failedAttempts);
    expect(buckets.reduce((sum, bucket) => sum + bucket.delivered + bucket.failed, 0)).toBe(summary.attemptsScanned);
  });
});
