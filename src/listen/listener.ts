// The listener: find where to start (a saved cursor, --since, or Exa's "now"), then poll the event log and
// forward what is new in (createdAt, id) order, one POST at a time (the next event claimed while one is in
// flight), the cursor saved as it goes. A stop request lets the POST in flight finish; a cancellation (a tool
// call cancelled) aborts it. Emits reports; renders nothing.

import type { ExaClient } from "../exa/client.js";
import { ExaApiError, RequestCancelledError } from "../exa/errors.js";
import { sleep } from "../exa/retry.js";
import { shortErrorText } from "../format/tool-error.js";
import { type KeptConnections, keptConnections } from "../net/kept-connections.js";
import { StoreOperationError } from "../store/index.js";
import { oneLine } from "../text/untrusted.js";
import { claimsAhead } from "./claims-ahead.js";
import { CursorTrail, type ListenCursor, pollFrom, startAt } from "./cursor.js";
import { type Forwarder, sendClaimed } from "./forward.js";
import { nextPollDelay, type PollPolicy } from "./poll-policy.js";
import type { ForwardResult, ListenBanner, ListenReport } from "./report.js";
import { backfillStart } from "./since.js";
import { slicedWindow } from "./slices.js";
import { listWindow } from "./source.js";
import { acceptsConnections } from "./target.js";

/** Where the cursor is kept between polls and runs (the store, or memory for a one-off run). */
export interface CursorKeeper {
  load(): Promise<ListenCursor | undefined>;
  save(cursor: ListenCursor): Promise<void>;
}

export interface ListenerRun {
  client: ExaClient;
  types: readonly string[];
  forwarder: Forwarder;
  cursors: CursorKeeper;
  /** --since on a fresh cursor; ignored when a cursor was saved. */
  since: string | undefined;
  overlapMs: number;
  poll: PollPolicy;
  /** What the banner says beyond where the listener starts. */
  banner: Omit<ListenBanner, "kind" | "resumedAfter" | "startsAt" | "expired">;
  report: (report: ListenReport) => void;
  /** Stop after the POST in flight (Ctrl+C). */
  stop: AbortSignal;
  /** Abort everything now, the POST in flight too (a cancelled tool call). */
  cancel?: AbortSignal | undefined;
  /** Stop once this many events were forwarded (sent, whatever the answer). */
  maxEvents?: number | undefined;
}

export interface ListenerOutcome {
  results: ForwardResult[];
  skipped: number;
  /** Why the listener ended when not asked to: the target refused by the guard, or Exa refusing the key. */
  fatal: string | undefined;
  watermark: string | undefined;
}

export async function runListener(run: ListenerRun): Promise<ListenerOutcome> {
  // One connection to the target kept across a backfill's POSTs, closed when the listener ends.
  const connections = keptConnections();
  try {
    return await pollAndForward(run, connections);
  } finally {
    connections.close();
  }
}

async function pollAndForward(run: ListenerRun, connections: KeptConnections): Promise<ListenerOutcome> {
  const halt = anySignal([run.stop, run.cancel]);
  const results: ForwardResult[] = [];
  let skipped = 0;
  const saved = await run.cursors.load();
  const start = saved ? undefined : await freshStart(run, halt);
  let cursor = saved ?? (start?.cursor as ListenCursor);
  // While a poll forwards, the cursor moves in `trail` (O(1) per event) and is built from it when saved.
  let trail: CursorTrail | undefined;
  const current = () => (trail ? trail.cursor() : cursor);
  if (start) await run.cursors.save(cursor);
  // (The fresh cursor is written at once: a restart must not take a new "now" and skip what came between.)
  run.report({
    kind: "banner",
    ...run.banner,
    resumedAfter: saved?.watermark,
    startsAt: start?.from,
    expired: start?.expired,
  });
  const saves = batchedSaves(run.cursors);
  const outcome = async (fatal?: string): Promise<ListenerOutcome> => {
    cursor = current();
    await saves.flush(cursor);
    return { results, skipped, fatal, watermark: cursor.watermark };
  };

  if (!(await waitForTarget(run, halt, "start"))) return outcome();
  let idleStreak = 0;
  let failing = false;
  while (!halt.aborted) {
    const pollStarted = performance.now();
    let retryAfterMs: number | undefined;
    let found = 0;
    // Ends the listing of a next slice when the poll ends early (maxEvents, a refused target, a failure).
    const listing = new AbortController();
    try {
      const slices = slicedWindow(
        run.client,
        { types: run.types, from: pollFrom(cursor, run.overlapMs), seenUpTo: cursor.watermark },
        AbortSignal.any([halt, listing.signal]),
      );
      for (let slice = await slices.next(); slice && !halt.aborted; slice = await slices.next()) {
        if (failing) run.report({ kind: "notice", level: "info", message: "Exa answers again; polling resumes." });
        failing = false;
        // The first slice reaches the watermark, so it knows the createdAt of every id the cursor holds.
        trail ??= new CursorTrail(cursor, new Map(slice.events.map((event) => [event.id, event.at])), run.overlapMs);
        const queue = trail.unseenInOrder(slice.events);
        const claims = claimsAhead(run.forwarder);
        try {
          for (const [index, event] of queue.entries()) {
            if (halt.aborted) break;
            found++;
            run.report({ kind: "event", eventId: event.id, type: event.type, createdAt: event.createdAt });
            const claim = await claims.take(event);
            const next = queue[index + 1];
            if (claim.kind === "claimed" && next) claims.prepare(next);
            const sent =
              claim.kind === "skipped"
                ? claim
                : await sendClaimed(run.forwarder, event, claim, { signal: run.cancel, connections });
            if (sent.kind === "refused") return outcome(`the target was refused at delivery: ${sent.message}`);
            if (sent.kind === "skipped") {
              skipped++;
              run.report({ kind: "skipped", eventId: event.id, type: event.type, acceptedAt: sent.acceptedAt });
            } else {
              results.push(sent.result);
              run.report(sent.result);
            }
            trail.advance(event);
            await saves.due(current);
            if (run.maxEvents !== undefined && results.length >= run.maxEvents) return outcome();
            if (sent.kind === "sent" && sent.connectionFailed) {
              await saves.flush(current());
              if (!(await waitForTarget(run, halt, "failure"))) return outcome();
            }
          }
        } finally {
          await claims.release();
        }
      }
      cursor = current();
      trail = undefined;
      await saves.flush(cursor);
    } catch (error) {
      cursor = current();
      trail = undefined;
      if (halt.aborted || error instanceof RequestCancelledError) break;
      if (error instanceof ExaApiError && (error.status === 401 || error.status === 403))
        return outcome(`Exa refused the API key (HTTP ${error.status}): ${shortErrorText(error)}`);
      retryAfterMs = error instanceof ExaApiError ? error.retryAfterMs : undefined;
      if (!failing) {
        failing = true;
        const what =
          error instanceof StoreOperationError
            ? `The store failed (${oneLine(error.message, 200)}): the event it could not claim was not sent`
            : `Listing events failed: ${shortErrorText(error)}`;
        run.report({
          kind: "notice",
          level: "error",
          message: `${what}. The listener keeps its place and tries again${retryAfterMs ? ` after Exa's Retry-After (${Math.ceil(retryAfterMs / 1000)} s)` : ""}.`,
        });
      }
    } finally {
      listing.abort();
    }
    idleStreak = found > 0 ? 0 : idleStreak + 1;
    try {
      const elapsedMs = performance.now() - pollStarted;
      const wait = nextPollDelay({ found, idleStreak, retryAfterMs, elapsedMs }, run.poll);
      if (wait > 0) await sleep(wait, halt);
    } catch {
      break;
    }
  }
  if (run.cancel?.aborted) {
    cursor = current();
    await saves.flush(cursor);
    throw new RequestCancelledError();
  }
  return outcome();
}

/** How often a moving cursor is written while events flow; every stop, pause and end of a poll writes it too. */
const SAVE_EVERY_MS = 250;

/**
 * Cursor writes, at most one per SAVE_EVERY_MS while a backfill runs (a write per event would cost a commit
 * each). A kill loses at most that much cursor; the ledger still knows those events were accepted, so a
 * restart skips them instead of sending them again.
 */
function batchedSaves(keeper: CursorKeeper) {
  let written: ListenCursor | undefined;
  let lastWrite = performance.now();
  const write = async (cursor: ListenCursor) => {
    if (cursor === written) return;
    await keeper.save(cursor);
    written = cursor;
    lastWrite = performance.now();
  };
  return {
    /** `cursor` is built only when a write is due. */
    due: (cursor: () => ListenCursor) => (performance.now() - lastWrite >= SAVE_EVERY_MS ? write(cursor()) : undefined),
    flush: write,
  };
}

/**
 * A fresh cursor. From --since (cut at retention): the events just below it are marked seen. From Exa's "now":
 * every event listable at the start is (it happened before the listener was there).
 */
async function freshStart(run: ListenerRun, signal: AbortSignal) {
  const exaNow = await exaClock(run, signal);
  const start = run.since ? backfillStart(run.since, exaNow) : { from: exaNow.toISOString() };
  const fromMs = Date.parse(start.from);
  const existing = await listWindow(
    run.client,
    {
      types: run.types,
      createdAfter: new Date(fromMs - run.overlapMs).toISOString(),
      createdBefore: run.since ? new Date(fromMs - 1).toISOString() : undefined,
    },
    signal,
  );
  return { ...start, cursor: startAt(start.from, existing.events, run.overlapMs) };
}

/** Exa's clock (the client keeps the offset its Date headers show) after one small answer. */
async function exaClock(run: ListenerRun, signal: AbortSignal): Promise<Date> {
  await run.client.listEventsWithBody({ types: [...run.types], limit: 1 }, signal);
  return new Date(run.client.exaNow());
}

/**
 * Waits until the target accepts TCP connections, checking at the active poll interval. Says so once when
 * it does not, and once when it is back. False when the listener was stopped meanwhile.
 */
async function waitForTarget(run: ListenerRun, halt: AbortSignal, when: "start" | "failure"): Promise<boolean> {
  const url = run.forwarder.target.url;
  const timeoutMs = Math.min(2_000, run.poll.activeMs);
  if (await acceptsConnections(url, timeoutMs)) return true;
  const origin = new URL(url).host;
  run.report({
    kind: "notice",
    level: "warning",
    message:
      when === "start"
        ? `Nothing accepts connections at ${origin} yet: events wait here until your receiver is up.`
        : `${origin} stopped accepting connections: the failed event above is recorded (send it again with --replay <id>); the next ones wait until the receiver is back.`,
  });
  while (!halt.aborted) {
    try {
      await sleep(run.poll.activeMs, halt);
    } catch {
      return false;
    }
    if (await acceptsConnections(url, timeoutMs)) {
      run.report({ kind: "notice", level: "info", message: `${origin} accepts connections: forwarding resumes.` });
      return true;
    }
  }
  return false;
}

function anySignal(signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((signal): signal is AbortSignal => signal !== undefined));
}
