// forward_events' engine: a bounded listen for an agent testing its handler with real events. New events
// (or those since `since`) go to a loopback target for up to maxSeconds or maxEvents, a progress
// notification per event; then what was forwarded, with status and latency. The cursor lives only for the
// call; the ledger, when the server has a store, is the one listen and redeliver_events share.
import { randomBytes } from "node:crypto";
import { ToolInputError } from "../errors.js";
import type { ExaClient } from "../exa/client.js";
import { EVENT_TYPES } from "../exa/event-types.js";
import type { Ledger } from "../store/index.js";
import { DEFAULT_OVERLAP_MS, type ListenCursor } from "./cursor.js";
import { FORWARD_TIMEOUT_MS } from "./forward.js";
import { DEFAULT_FORWARD_EVENTS, DEFAULT_FORWARD_SECONDS } from "./limits.js";
import { runListener } from "./listener.js";
import { DEFAULT_POLL_POLICY } from "./poll-policy.js";
import type { ForwardResult, ListenReport, SecretSource } from "./report.js";
import { resolveListenTarget, TargetRefusedError } from "./target.js";

export interface ForwardEventsInput {
  targetUrl: string;
  webhookId?: string | undefined;
  types?: string[] | undefined;
  since?: string | undefined;
  maxSeconds?: number | undefined;
  maxEvents?: number | undefined;
  secret?: string | undefined;
}

export interface ForwardEventsDeps {
  client: ExaClient;
  /** EXA_WEBHOOK_SECRETS. */
  webhookSecrets: ReadonlyMap<string, string>;
  /** The sandbox's own secret of a webhook, with --sandbox. */
  sandboxSecret?: ((webhookId: string) => Promise<string | undefined>) | undefined;
  /** The shared delivery ledger and this caller's account in it; undefined without a store. */
  ledger?: { ledger: Ledger; account: string } | undefined;
  /** The server is reached from other machines: its own loopback is no one's local receiver. */
  remoteCallers: boolean;
  signal: AbortSignal;
  /** A notification per forwarded event; each is awaited before the call answers (a late one would be dropped). */
  progress(done: number, total: number, message: string): Promise<void>;
  pollMs?: number | undefined;
}

export interface ForwardEventsOutcome {
  target: string;
  types: string[];
  secretSource: SecretSource;
  /** The per-call local forwarding secret (not an Exa secret), when no real one was known. */
  localSecret: string | undefined;
  forwarded: ForwardResult[];
  skipped: number;
  stoppedBy: "max_events" | "max_seconds" | "error";
  error: string | undefined;
  /** Exa-clock instant the call started from. */
  startedAt: string | undefined;
}

export async function forwardEvents(input: ForwardEventsInput, deps: ForwardEventsDeps): Promise<ForwardEventsOutcome> {
  if (deps.remoteCallers)
    throw new ToolInputError(
      "forward_events is not offered to remote callers: this server is served to other machines, and its loopback is not your receiver. Run exa-webhooks-mcp listen on your own machine instead.",
    );
  let target: ReturnType<typeof resolveListenTarget>;
  try {
    target = resolveListenTarget(input.targetUrl, false);
  } catch (error) {
    if (error instanceof TargetRefusedError)
      throw new ToolInputError(error.message.replace("--forward-to", "targetUrl"));
    throw error;
  }
  let types = input.types ?? [...EVENT_TYPES];
  let real: { secret: string; source: SecretSource } | undefined = input.secret
    ? { secret: input.secret, source: "flag" }
    : undefined;
  if (input.webhookId) {
    const webhook = await deps.client.getWebhook(input.webhookId, deps.signal);
    if (!input.types) types = [...webhook.events];
    const known = deps.webhookSecrets.get(webhook.id);
    const own = await deps.sandboxSecret?.(webhook.id);
    real ??= known ? { secret: known, source: "env" } : own ? { secret: own, source: "sandbox" } : undefined;
  }
  const secret = real?.secret ?? `whsec_local_${randomBytes(24).toString("base64url")}`;
  const maxEvents = input.maxEvents ?? DEFAULT_FORWARD_EVENTS;
  const maxMs = (input.maxSeconds ?? DEFAULT_FORWARD_SECONDS) * 1000;

  let memory: ListenCursor | undefined;
  let startedAt: string | undefined;
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), maxMs);
  let done = 0;
  const notified: Promise<void>[] = [];
  const report = (item: ListenReport) => {
    if (item.kind === "banner") startedAt = item.startsAt;
    if (item.kind === "result") {
      done++;
      const answer = item.accepted ? `${item.statusCode}` : `failed (${item.reason ?? item.statusCode})`;
      notified.push(
        deps
          .progress(done, maxEvents, `${item.type} ${item.eventId}: ${answer} in ${item.durationMs} ms`)
          .catch(() => {}),
      );
    }
  };
  try {
    const outcome = await runListener({
      client: deps.client,
      types,
      forwarder: {
        target,
        secret,
        ledger: deps.ledger?.ledger,
        account: deps.ledger?.account ?? "",
        webhookId: input.webhookId ?? "",
        holder: `forward_events pid ${process.pid}`,
        timeoutMs: FORWARD_TIMEOUT_MS,
      },
      cursors: {
        load: async () => memory,
        save: async (cursor) => {
          memory = cursor;
        },
      },
      since: input.since,
      overlapMs: DEFAULT_OVERLAP_MS,
      poll: deps.pollMs
        ? { activeMs: deps.pollMs, idleMaxMs: deps.pollMs, quietPolls: 0 }
        : { activeMs: DEFAULT_POLL_POLICY.activeMs, idleMaxMs: DEFAULT_POLL_POLICY.activeMs, quietPolls: 0 },
      banner: {
        webhookId: input.webhookId,
        types,
        target: target.url,
        secretSource: real?.source ?? "local",
        localSecret: undefined,
        store: "",
        sandboxEmit: undefined,
      },
      report,
      stop: stop.signal,
      cancel: deps.signal,
      maxEvents,
    });
    return {
      target: target.url,
      types,
      secretSource: real?.source ?? "local",
      localSecret: real ? undefined : secret,
      forwarded: outcome.results,
      skipped: outcome.skipped,
      stoppedBy: outcome.fatal ? "error" : outcome.results.length >= maxEvents ? "max_events" : "max_seconds",
      error: outcome.fatal,
      startedAt,
    };
  } finally {
    clearTimeout(timer);
    await Promise.all(notified);
  }
}
