// A streaming, order-independent summary of webhook attempts: every field a commutative fold, so the result
// is the same for any insertion order. Design and memory bounds: docs/architecture.md, "Diagnosis engine".
import type { WebhookAttempt } from "../exa/schemas.js";
import { sanitizeResponseText } from "../text/untrusted.js";
import { classifyAttempt } from "./classify.js";
import { hintFor, type UrlChange } from "./hints.js";
import { createTimelineCounter } from "./timeline.js";
import { compareInstants, type Instant, instant, newerOf, olderOf, timestampMillis } from "./timestamps.js";
import type { AttemptSummary, Category, DiagnosisGroup, EventOutcomes } from "./types.js";

/**
 * Per event, the lowest attempt number seen per outcome, packed into one small integer so a Map of 100k
 * events holds no objects: low 15 bits = lowest succeeded attempt, next 15 = lowest failed, 0 = none seen.
 * Attempt numbers above 32767 are clamped, which cannot change which outcome came first in practice.
 */
const FIELD_BITS = 15;
const FIELD_MAX = (1 << FIELD_BITS) - 1;

function packEvent(minFailed: number, minSucceeded: number): number {
  return minFailed * (FIELD_MAX + 1) + minSucceeded;
}

function minAttempt(current: number, attempt: number): number {
  const clamped = Math.min(Math.max(1, Math.floor(attempt) || 1), FIELD_MAX);
  return current === 0 ? clamped : Math.min(current, clamped);
}

interface GroupState {
  category: Category;
  statusCode: number;
  count: number;
  eventTypes: Set<string>;
  firstSeen: Instant;
  lastSeen: Instant;
  /** When the sample attempt was made: not always lastSeen, since a sample with a body beats a newer one. */
  sampleAt: Instant;
  sampleAttemptId: string;
  sampleEventId: string;
  sampleResponse: string;
  /** The URL the sample was sent to: the hint's target when the caller does not pass the current one. */
  sampleUrl: string;
}

/** Undelivered events (of counted types) as ids, newest first, and how many are too old or too new. */
export interface UndeliveredEvents {
  /** At most `keep`, by first failed attempt, newest first (ties by id). */
  ids: string[];
  /** First attempt older than `expiredBeforeMs`. */
  expired: number;
  /** A failed attempt at or after `recentFromMs` (and not after `recentUntilMs`, when given). */
  recent: number;
}

export interface AttemptAggregator {
  /** `attemptedMs` is the attempt's parsed attemptedAt, when the caller already has it. */
  add(attempt: WebhookAttempt, attemptedMs?: number): void;
  /** Some added attempt carries this event id (looked up under `eventType` first: an event has one type). */
  attempted(eventId: string, eventType?: string): boolean;
  undelivered(
    countEventsOf: (eventType: string) => boolean,
    options: { keep: number; expiredBeforeMs: number; recentFromMs: number; recentUntilMs?: number },
  ): UndeliveredEvents;
  /**
   * `countEventsOf` says which event types' events may be counted (both outcomes read in full); the others
   * are listed in events.uncountedEventTypes. Default: all.
   */
  result(countEventsOf?: (eventType: string) => boolean): AttemptSummary;
}

export interface AttemptAggregatorOptions {
  /** The webhook's current URL: a group whose attempts went elsewhere says the URL changed, and when. */
  webhookUrl?: string;
  /** The sender runs on this machine (the sandbox): loopback URLs are not a finding. */
  senderIsLocal?: boolean;
  /** Now by Exa's clock, read when the result is built: hints name attempts dated after it as skewed. */
  clock?: () => number;
}

/**
 * The group's sample: the newest attempt whose response has text, else the newest attempt. A body is the
 * evidence (ECONNREFUSED vs ENOTFOUND picks the hint), so an empty newest attempt must not hide an older
 * one that says why. Equal timestamps fall back to the attempt id so the pick never depends on order.
 */
function isBetterSample(attempt: WebhookAttempt, at: Instant, response: string, group: GroupState): boolean {
  const hasText = response !== "";
  if (hasText !== (group.sampleResponse !== "")) return hasText;
  const byTime = compareInstants(at, group.sampleAt);
  return byTime > 0 || (byTime === 0 && attempt.id > group.sampleAttemptId);
}

type SampleFields = Pick<GroupState, "sampleAt" | "sampleAttemptId" | "sampleEventId" | "sampleResponse" | "sampleUrl">;

function sampleFields(attempt: WebhookAttempt, at: Instant, response: string): SampleFields {
  return {
    sampleAt: at,
    sampleAttemptId: attempt.id,
    sampleEventId: attempt.eventId,
    sampleResponse: response,
    sampleUrl: attempt.url,
  };
}

function compareGroups(a: GroupState, b: GroupState): number {
  return (
    b.count - a.count ||
    compareInstants(b.lastSeen, a.lastSeen) ||
    (a.category < b.category ? -1 : a.category > b.category ? 1 : 0) ||
    a.statusCode - b.statusCode
  );
}

/** Events per type: an event has one type, and counts are only trusted per type (see result()). */
function countEventOutcomes(
  eventsByType: Map<string, Map<string, number>>,
  countEventsOf: (eventType: string) => boolean,
): EventOutcomes {
  const outcomes: EventOutcomes = { total: 0, delivered: 0, recovered: 0, undelivered: 0, neverAttempted: 0 };
  const uncounted: string[] = [];
  for (const [eventType, events] of eventsByType) {
    if (!countEventsOf(eventType)) {
      uncounted.push(eventType);
      continue;
    }
    outcomes.total += events.size;
    for (const packed of events.values()) {
      const minSucceeded = packed % (FIELD_MAX + 1);
      const minFailed = Math.floor(packed / (FIELD_MAX + 1));
      if (minSucceeded === 0) outcomes.undelivered++;
      else if (minFailed === 0 || minSucceeded < minFailed) outcomes.delivered++;
      else outcomes.recovered++;
    }
  }
  if (uncounted.length > 0) outcomes.uncountedEventTypes = uncounted.sort();
  return outcomes;
}

/** URLs dated per aggregator: a webhook has had a handful; a hostile history of distinct URLs stays bounded. */
const MAX_URLS_TRACKED = 16;

const withUrlChange = (urlChange: UrlChange | undefined) => (urlChange ? { urlChange } : {});

const isUndelivered = (packed: number) => packed % (FIELD_MAX + 1) === 0;

export function createAttemptAggregator(options: AttemptAggregatorOptions = {}): AttemptAggregator {
  const eventsByType = new Map<string, Map<string, number>>();
  /** Per event with a failed attempt: its first and last failure (ms). */
  const firstFailureMs = new Map<string, number>();
  const lastFailureMs = new Map<string, number>();
  const groups = new Map<string, GroupState>();
  let attemptsScanned = 0;
  let failedAttempts = 0;
  let windowFrom: Instant | null = null;
  let windowTo: Instant | null = null;
  let lastSuccess: Instant | null = null;
  let lastFailure: Instant | null = null;
  let lastSuccessMs = Number.NEGATIVE_INFINITY;
  // Failure instants newer than lastSuccessMs when they were added; pruned lazily as lastSuccessMs grows.
  let recentFailureMs: number[] = [];
  let pruneAt = 64;
  const timeline = createTimelineCounter();
  /** Per URL attempted (at most MAX_URLS_TRACKED): its oldest and newest attempt, to date a URL change. */
  const urlSpans = new Map<string, { first: Instant; last: Instant }>();

  function recordUrl(url: string, at: Instant): void {
    const span = urlSpans.get(url);
    if (span) {
      span.first = olderOf(span.first, at);
      span.last = newerOf(span.last, at);
    } else if (urlSpans.size < MAX_URLS_TRACKED) urlSpans.set(url, { first: at, last: at });
  }

  /** The change from the URL a group's attempts went to, to the webhook's current one; undefined if none. */
  function urlChangeFrom(attemptUrl: string): UrlChange | undefined {
    const currentUrl = options.webhookUrl;
    const earlier = urlSpans.get(attemptUrl);
    if (currentUrl === undefined || attemptUrl === currentUrl || !earlier) return undefined;
    return {
      currentUrl,
      lastAttemptAtEarlier: earlier.last.text,
      firstAttemptAtCurrent: urlSpans.get(currentUrl)?.first.text ?? null,
    };
  }

  function recordEvent(attempt: WebhookAttempt): void {
    let events = eventsByType.get(attempt.eventType);
    if (events === undefined) {
      events = new Map();
      eventsByType.set(attempt.eventType, events);
    }
    const packed = events.get(attempt.eventId) ?? 0;
    let minSucceeded = packed % (FIELD_MAX + 1);
    let minFailed = Math.floor(packed / (FIELD_MAX + 1));
    if (attempt.successful) minSucceeded = minAttempt(minSucceeded, attempt.attempt);
    else minFailed = minAttempt(minFailed, attempt.attempt);
    events.set(attempt.eventId, packEvent(minFailed, minSucceeded));
  }

  function recordSuccess(at: Instant): void {
    lastSuccess = newerOf(lastSuccess, at);
    lastSuccessMs = Math.max(lastSuccessMs, at.ms);
    if (recentFailureMs.length >= pruneAt) {
      recentFailureMs = recentFailureMs.filter((ms) => ms > lastSuccessMs);
      pruneAt = Math.max(64, recentFailureMs.length * 2);
    }
  }

  function recordFailure(attempt: WebhookAttempt, at: Instant): void {
    failedAttempts++;
    const first = firstFailureMs.get(attempt.eventId);
    if (first === undefined || at.ms < first) firstFailureMs.set(attempt.eventId, at.ms);
    const last = lastFailureMs.get(attempt.eventId);
    if (last === undefined || at.ms > last) lastFailureMs.set(attempt.eventId, at.ms);
    lastFailure = newerOf(lastFailure, at);
    if (at.ms > lastSuccessMs) recentFailureMs.push(at.ms);

    const category = classifyAttempt(attempt);
    const statusCode = attempt.responseStatusCode ?? 0;
    const key = `${category}|${statusCode}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        category,
        statusCode,
        count: 1,
        eventTypes: new Set([attempt.eventType]),
        firstSeen: at,
        lastSeen: at,
        ...sampleFields(attempt, at, sanitizeResponseText(attempt.responseBody)),
      });
      return;
    }
    group.count++;
    group.eventTypes.add(attempt.eventType);
    group.firstSeen = olderOf(group.firstSeen, at);
    group.lastSeen = newerOf(group.lastSeen, at);
    // Sanitizing is the costly part; an older attempt cannot beat a sample that already has text.
    const couldWin = group.sampleResponse === "" || compareInstants(at, group.sampleAt) >= 0;
    if (!couldWin) return;
    const response = sanitizeResponseText(attempt.responseBody);
    if (isBetterSample(attempt, at, response, group)) Object.assign(group, sampleFields(attempt, at, response));
  }

  return {
    add(attempt, attemptedMs = timestampMillis(attempt.attemptedAt)) {
      const at = instant(attempt.attemptedAt, attemptedMs);
      attemptsScanned++;
      windowFrom = olderOf(windowFrom, at);
      windowTo = newerOf(windowTo, at);
      recordEvent(attempt);
      recordUrl(attempt.url, at);
      timeline.add(at.ms, attempt.successful);
      if (attempt.successful) recordSuccess(at);
      else recordFailure(attempt, at);
    },

    attempted(eventId, eventType) {
      const own = eventType === undefined ? undefined : eventsByType.get(eventType);
      if (own?.has(eventId)) return true;
      // Asked once per listed event, mostly for events that were attempted: no entry pair per type.
      for (const events of eventsByType.values()) if (events !== own && events.has(eventId)) return true;
      return false;
    },

    undelivered(countEventsOf, { keep, expiredBeforeMs, recentFromMs, recentUntilMs = Number.POSITIVE_INFINITY }) {
      const found: { id: string; ms: number }[] = [];
      let expired = 0;
      let recent = 0;
      for (const [eventType, events] of eventsByType) {
        if (!countEventsOf(eventType)) continue;
        // forEach rather than for-of: no [id, packed] pair for each of 100k events.
        events.forEach((packed, id) => {
          if (!isUndelivered(packed)) return;
          const first = firstFailureMs.get(id) ?? Number.NEGATIVE_INFINITY;
          if (first < expiredBeforeMs) expired++;
          // Dated after recentUntilMs is skew, not a retry in progress.
          const last = lastFailureMs.get(id) ?? Number.NEGATIVE_INFINITY;
          if (last >= recentFromMs && last <= recentUntilMs) recent++;
          found.push({ id, ms: first });
        });
      }
      found.sort((a, b) => b.ms - a.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return { ids: found.slice(0, keep).map((event) => event.id), expired, recent };
    },

    result(countEventsOf = () => true) {
      const summaryGroups: DiagnosisGroup[] = [];
      const judgedAt = options.clock?.();
      for (const group of [...groups.values()].sort(compareGroups)) {
        // Built field by field so the structured output keeps the contract's field order.
        summaryGroups.push({
          category: group.category,
          statusCode: group.statusCode,
          count: group.count,
          eventTypes: [...group.eventTypes].sort(),
          firstSeen: group.firstSeen.text,
          lastSeen: group.lastSeen.text,
          sampleAttemptId: group.sampleAttemptId,
          sampleEventId: group.sampleEventId,
          sampleResponse: group.sampleResponse,
          hint: hintFor({
            category: group.category,
            statusCode: group.statusCode,
            // The URL the attempts went to, not the current one: after update_webhook they differ.
            webhookUrl: group.sampleUrl,
            ...withUrlChange(urlChangeFrom(group.sampleUrl)),
            sampleResponse: group.sampleResponse,
            lastSeen: group.lastSeen.text,
            senderIsLocal: options.senderIsLocal ?? false,
            ...(judgedAt === undefined ? {} : { judgedAt }),
          }),
        });
      }
      return {
        attemptsScanned,
        failedAttempts,
        failureRate: attemptsScanned === 0 ? 0 : failedAttempts / attemptsScanned,
        window: { from: windowFrom?.text ?? null, to: windowTo?.text ?? null },
        events: countEventOutcomes(eventsByType, countEventsOf),
        groups: summaryGroups,
        lastSuccessAt: lastSuccess?.text ?? null,
        lastFailureAt: lastFailure?.text ?? null,
        consecutiveFailures: recentFailureMs.filter((ms) => ms > lastSuccessMs).length,
        timeline: timeline.result(),
      };
    },
  };
}
