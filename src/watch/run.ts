// A running watch: the tick loop on an interval, the watch lease when the store is shared, the alert poster,
// and the feed the MCP side reads. Used by `exa-webhooks-mcp watch` and by the server's --watch.
import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import { ExaClient } from "../exa/client.js";
import { sleep } from "../exa/retry.js";
import { egressPolicyFor } from "../net/egress.js";
import { notRememberedBecause, type Store, type StoreAccess } from "../store/index.js";
import { createRedactor } from "../text/redact.js";
import { AlertPoster } from "./alert-post.js";
import { HealthFeed } from "./feed.js";
import { type OutputMode, renderEvent, type WatchEvent } from "./output.js";
import { storeHistory } from "./persist.js";
import type { WatchSettings } from "./settings.js";
import { exaWatchSources, type HealthCheck } from "./sources.js";
import { Watcher } from "./watcher.js";

export const WATCH_LEASE = "watch";
/** A rate-limited tick waits up to this many intervals (at least 5 minutes) before the next one. */
const MAX_BACKOFF_INTERVALS = 8;

export interface WatchEnvironment {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  retryBaseMs: number;
  concurrency: number;
  sandbox: boolean;
  allowPrivateTargets: boolean;
  userAgent: string;
  /** Undefined: no store (remembers for this process only). */
  store: StoreAccess | undefined;
  /** Replaces the plain diagnosis (an incremental scan). */
  check?: HealthCheck;
}

export interface WatchIo {
  /** One output line (stdout for the watch command, stderr beside a server). */
  line(text: string): void;
  /** A banner or warning for people (stderr). */
  warn(text: string): void;
  /** Lines are JSON unless written for a person. */
  json: boolean;
  mode: OutputMode;
}

export interface RunningWatch {
  feed: HealthFeed;
  /** Stops after the tick in flight; alerts in flight are cancelled. */
  stop(): Promise<void>;
}

export async function startWatch(env: WatchEnvironment, settings: WatchSettings, io: WatchIo): Promise<RunningWatch> {
  const exa = new ExaClient({
    baseUrl: env.baseUrl,
    apiKey: env.apiKey,
    timeoutMs: env.timeoutMs,
    retryBaseMs: env.retryBaseMs,
    userAgent: env.userAgent,
  });
  const store = await openOptional(env.store, io);
  const account = store?.accountId(env.apiKey);
  const redactor = createRedactor(env.apiKey);
  let watcher: Watcher | undefined;
  const sources = exaWatchSources(exa, {
    concurrency: env.concurrency,
    senderIsLocal: env.sandbox,
    onRateLimited: () => watcher?.noteRateLimited(),
    // What the store keeps of a receiver's text (a sample) never holds the API key.
    memory: store && account ? { kind: "store", history: store.history, account, redact: redactor.redact } : undefined,
  });
  if (env.check) sources.check = env.check;
  watcher = new Watcher({
    sources,
    history: store && account ? storeHistory(store.history, account) : undefined,
    thresholds: settings.thresholds,
    cooldownMs: settings.cooldownMs,
    concurrency: env.concurrency,
  });
  const feed = new HealthFeed(settings.intervalMs, env.apiKey);
  const emit = (event: WatchEvent) => {
    for (const line of renderEvent(event, io.mode, io.json)) io.line(line);
  };
  const poster = settings.alertUrl
    ? new AlertPoster(
        {
          url: settings.alertUrl,
          secret: settings.alertSecret,
          timeoutMs: settings.alertTimeoutMs,
          retryBaseMs: env.retryBaseMs,
          policy: egressPolicyFor({ sandbox: false, allowPrivateTargets: env.allowPrivateTargets }),
          sandbox: env.sandbox,
        },
        (outcome) => emit({ type: "alert", outcome }),
      )
    : undefined;
  io.warn(banner(settings, store));

  const controller = new AbortController();
  // Every request of a tick (lanes, pages, the scan) listens on this one signal.
  setMaxListeners(0, controller.signal);
  const holder = `watch pid ${process.pid} on ${hostname()}`;
  const lease = store && account ? leaseKeeper(store, account, holder, settings.intervalMs) : undefined;
  let standbyShown: string | undefined;
  let backoff = 1;

  const loop = async () => {
    while (!controller.signal.aborted) {
      let nextInMs = settings.intervalMs;
      const held = lease ? await lease.hold() : { ok: true as const, regained: false };
      if (!held.ok) {
        if (standbyShown !== held.holder) emit({ type: "standby", holder: held.holder, until: held.until });
        standbyShown = held.holder;
        feed.publish({ ...feed.snapshot(), active: false }, []);
      } else {
        if (held.regained) {
          // Another replica may have walked the ladder meanwhile: read its transitions from the store.
          watcher.forgetMemory();
          if (standbyShown !== undefined) emit({ type: "lease", holder });
          standbyShown = undefined;
        }
        try {
          const report = await watcher.tick(controller.signal);
          backoff = report.rateLimited ? Math.min(backoff * 2, MAX_BACKOFF_INTERVALS) : 1;
          nextInMs = settings.intervalMs * backoff;
          for (const transition of report.transitions) if (transition.decision === "alert") poster?.send(transition);
          feed.publish(
            { webhooks: watcher.snapshot(), checkedAt: report.at, intervalMs: settings.intervalMs, active: true },
            report.transitions,
          );
          emit({ type: "tick", report, nextInMs });
        } catch (error) {
          if (controller.signal.aborted) break;
          io.warn(`watch tick failed: ${(error as Error)?.message ?? error}; trying again next tick.`);
        }
      }
      // A stop ends the wait early; the loop then sees the aborted signal and ends.
      await sleep(nextInMs, controller.signal).catch(() => {});
    }
  };
  const running = loop();
  return {
    feed,
    async stop() {
      controller.abort();
      poster?.close();
      await running.catch(() => {});
      await lease?.release();
      await env.store?.close();
    },
  };
}

async function openOptional(access: StoreAccess | undefined, io: WatchIo): Promise<Store | undefined> {
  if (!access) return undefined;
  const opening = await access.open();
  if (opening.ok) return opening.store;
  io.warn(`watch: transitions are not remembered across restarts: ${notRememberedBecause(opening.unavailable)}`);
  return undefined;
}

function banner(settings: WatchSettings, store: Store | undefined): string {
  const every = settings.intervalMs % 1000 === 0 ? `${settings.intervalMs / 1000} s` : `${settings.intervalMs} ms`;
  const parts = [`watching every webhook every ${every}`];
  if (store) parts.push(`state kept in ${store.engine} (${store.location})`);
  if (settings.alertUrl) {
    // The origin only: a path can be a secret (Slack's incoming webhook URLs are).
    const origin = new URL(settings.alertUrl).origin;
    parts.push(
      settings.alertSecret
        ? `alerts POST to ${origin}/… signed (Exa-Webhooks-Signature)`
        : `alerts POST to ${origin}/… UNSIGNED: set EXA_WEBHOOKS_ALERT_SECRET (or --alert-secret) so the receiver can tell them from forgeries`,
    );
  }
  return `${parts.join("; ")}.`;
}

type LeaseHold = { ok: true; regained: boolean } | { ok: false; holder: string; until: string };

/** Holds the watch lease across ticks: renewed each tick, taken when free, and given up on stop. */
function leaseKeeper(store: Store, account: string, holder: string, intervalMs: number) {
  // Three intervals: one slow tick does not lose it; a replica that died frees it within a few ticks.
  const ttlMs = Math.max(3 * intervalMs, 15_000);
  let token: string | undefined;
  return {
    async hold(): Promise<LeaseHold> {
      try {
        if (token && (await store.leases.renew(account, WATCH_LEASE, token, ttlMs)))
          return { ok: true, regained: false };
        token = undefined;
        const result = await store.leases.acquire(account, WATCH_LEASE, holder, ttlMs);
        if (!result.acquired)
          return { ok: false, holder: result.heldBy.holder, until: result.heldBy.expiresAt.toISOString() };
        token = result.token;
        return { ok: true, regained: true };
      } catch {
        // A store that fails cannot arbitrate: watching twice beats watching nowhere.
        return { ok: true, regained: false };
      }
    },
    async release(): Promise<void> {
      if (token) await store.leases.release(account, WATCH_LEASE, token).catch(() => {});
    },
  };
}
