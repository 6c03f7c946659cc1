// `exa-webhooks-mcp listen`: the flags made real — the Exa client (or the sandbox), the webhook's types and
// secret, the store's cursor, ledger and lease — then the listener until Ctrl+C, its reports printed as
// lines. Returns the exit code: 0 stopped, 1 failed, 2 refused (a bad target, another listener holds the cursor).
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { loadConfig } from "../config.js";
import { ConfigError, ToolInputError } from "../errors.js";
import { ExaClient } from "../exa/client.js";
import { isExaError, RequestCancelledError } from "../exa/errors.js";
import { EVENT_TYPES } from "../exa/event-types.js";
import { shortErrorText } from "../format/tool-error.js";
import { DEFAULT_OVERLAP_MS, type ListenCursor } from "../listen/cursor.js";
import { FORWARD_TIMEOUT_MS, type Forwarder, forwardEvent } from "../listen/forward.js";
import { runListener } from "../listen/listener.js";
import { type ListenOutput, renderReport } from "../listen/render.js";
import type { ListenReport, SecretSource } from "../listen/report.js";
import { listenSettings } from "../listen/settings.js";
import { resolveListenTarget, TargetRefusedError } from "../listen/target.js";
import { createStoreAccess, notRememberedBecause, resolveStoreSpec, type Store } from "../store/index.js";
import { VERSION } from "../version.js";
import type { ListenFlags } from "./listen-args.js";

interface CommandIo {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** The sandbox's demo history is days old: a fresh sandbox listener forwards all of it, then what is emitted. */
const SANDBOX_SINCE = "60d";

export async function runListenCommand(flags: ListenFlags, io: CommandIo): Promise<number> {
  const output: ListenOutput = flags.output ?? (io.stdout.isTTY ? "compact" : "json");
  const report = (item: ListenReport) => {
    for (const line of renderReport(item, output))
      (line.stream === "stdout" ? io.stdout : io.stderr).write(`${line.text}\n`);
  };
  const refuse = (message: string, code: number) => {
    report({ kind: "notice", level: "error", message });
    return code;
  };
  const warn = (message: string) => report({ kind: "notice", level: "warning", message });

  let target: ReturnType<typeof resolveListenTarget>;
  try {
    target = resolveListenTarget(flags.forwardTo as string, flags.allowRemoteTarget);
  } catch (error) {
    if (error instanceof TargetRefusedError) return refuse(error.message, 2);
    throw error;
  }
  const settings = listenSettings(io.env, warn);
  const config = loadConfig(io.env, { sandbox: flags.sandbox }, warn);
  const closers: (() => Promise<void>)[] = [];
  try {
    let baseUrl = config.baseUrl;
    let apiKey = config.apiKey;
    let sandbox: Awaited<ReturnType<typeof import("../sandbox/launch.js").startSandbox>> | undefined;
    if (flags.sandbox) {
      const { startSandbox } = await import("../sandbox/launch.js");
      sandbox = await startSandbox();
      closers.push(sandbox.close);
      baseUrl = sandbox.baseUrl;
      apiKey = sandbox.apiKey;
    }
    if (!apiKey)
      throw new ConfigError(
        "EXA_API_KEY is not set: listen reads your account's events with it. Set it (https://dashboard.exa.ai/api-keys), or try listen --sandbox.",
      );
    const client = new ExaClient({
      baseUrl,
      apiKey,
      timeoutMs: config.timeoutMs,
      retryBaseMs: config.retryBaseMs,
      userAgent: `exa-webhooks-mcp/${VERSION} (listen)`,
      onRetry: (notice) => warn(`Retrying ${notice.method} ${notice.path} in ${notice.delayMs} ms: ${notice.reason}`),
    });

    // Which events, and the secret they are signed with.
    let types: string[] = flags.events ?? [...EVENT_TYPES];
    let realSecret: { secret: string; source: SecretSource } | undefined;
    if (flags.secret) realSecret = { secret: flags.secret, source: "flag" };
    if (flags.webhookId) {
      const webhook = await client.getWebhook(flags.webhookId);
      types = [...webhook.events];
      const known = config.webhookSecrets.get(webhook.id);
      const own = sandbox ? await sandbox.handle.webhookSecret(webhook.id) : undefined;
      realSecret ??= known ? { secret: known, source: "env" } : own ? { secret: own, source: "sandbox" } : undefined;
    }

    const spec = resolveStoreSpec({ flag: flags.store, env: io.env, sandbox: flags.sandbox });
    const access = createStoreAccess(spec);
    closers.unshift(() => access.close());
    const opening = await access.open();
    if (!opening.ok)
      return refuse(
        `listen keeps its cursor and delivery ledger in the store, and it cannot open: ${notRememberedBecause(opening.unavailable)} (--store memory listens without resuming.)`,
        1,
      );
    const store = opening.store;
    const account = store.accountId(apiKey);
    const cursorKey = { account, types, target: target.url };
    const holder = `listen pid ${process.pid} on ${hostname()}`;
    const secret =
      realSecret?.secret ??
      (await store.cursors.forwardingSecret(cursorKey, () => `whsec_local_${randomBytes(24).toString("base64url")}`));
    const forwarder: Forwarder = {
      target,
      secret,
      ledger: store.ledger,
      account,
      webhookId: flags.webhookId ?? "",
      holder,
      timeoutMs: settings.postTimeoutMs ?? FORWARD_TIMEOUT_MS,
    };

    if (flags.replay) return await replay(client, forwarder, flags.replay, report);

    const leaseName = store.cursors.leaseName(cursorKey);
    const lease = await store.leases.acquire(account, leaseName, holder, settings.leaseMs);
    if (!lease.acquired)
      return refuse(
        `Another listener holds this cursor (these types to ${target.url}): ${lease.heldBy.holder}, until ${lease.heldBy.expiresAt.toISOString()} unless it renews. Stop it first, or forward to another URL. (A listener that was killed keeps the cursor until then.)`,
        2,
      );
    const stop = new AbortController();
    let lostLease = false;
    const renew = setInterval(
      () => {
        store.leases.renew(account, leaseName, lease.token, settings.leaseMs).then(
          (held) => {
            if (held) return;
            lostLease = true;
            stop.abort();
          },
          () => {},
        );
      },
      Math.max(50, Math.floor(settings.leaseMs / 3)),
    );
    closers.unshift(async () => {
      clearInterval(renew);
      await store.leases.release(account, leaseName, lease.token).catch(() => {});
    });
    const stopOnSignal = onceOnSignals(() => stop.abort());
    closers.unshift(async () => stopOnSignal());

    const sandboxEmit = sandbox
      ? `curl -X POST ${baseUrl}${(await import("../sandbox/control.js")).CONTROL_EVENTS_PATH} -H "x-api-key: ${apiKey}" -H "content-type: application/json" -d '{"type":"webset.item.created"}'`
      : undefined;
    let outcome: Awaited<ReturnType<typeof runListener>>;
    try {
      outcome = await runListener({
        client,
        types,
        forwarder,
        cursors: storeCursors(store, cursorKey),
        since: flags.since ?? (sandbox ? SANDBOX_SINCE : undefined),
        overlapMs: DEFAULT_OVERLAP_MS,
        poll: settings.poll,
        banner: {
          webhookId: flags.webhookId,
          types,
          target: target.url,
          secretSource: realSecret?.source ?? "local",
          localSecret: realSecret ? undefined : secret,
          store: store.location === store.engine ? store.engine : `${store.engine} ${store.location}`,
          sandboxEmit,
        },
        report,
        stop: stop.signal,
      });
    } catch (error) {
      // Ctrl+C before the first poll (while finding where to start): nothing was handled.
      if (stop.signal.aborted && error instanceof RequestCancelledError) return 0;
      throw error;
    }
    const failed = outcome.results.filter((result) => !result.accepted).length;
    report({
      kind: "stopped",
      forwarded: outcome.results.length - failed,
      failed,
      skipped: outcome.skipped,
      watermark: outcome.watermark,
    });
    if (lostLease) return refuse("Another listener took over this cursor (the lease was lost); this one stopped.", 1);
    if (outcome.fatal) return refuse(outcome.fatal, 1);
    return 0;
  } catch (error) {
    // Exa refusing the key or the webhook id, or failing at the start: said as a line, like every other report.
    if (isExaError(error)) return refuse(`Exa: ${shortErrorText(error)}`, 1);
    if (error instanceof ToolInputError) return refuse(error.message, 2);
    throw error;
  } finally {
    for (const close of closers) await close().catch(() => {});
  }
}

async function replay(
  client: ExaClient,
  forwarder: Forwarder,
  eventId: string,
  report: (item: ListenReport) => void,
): Promise<number> {
  const { event, body } = await client.getEventWithBody(eventId);
  report({ kind: "event", eventId: event.id, type: event.type, createdAt: event.createdAt });
  const listed = {
    id: event.id,
    type: event.type,
    createdAt: event.createdAt,
    at: Date.parse(event.createdAt),
    raw: body,
  };
  const sent = await forwardEvent(forwarder, listed, { force: true });
  if (sent.kind === "refused") {
    report({ kind: "notice", level: "error", message: `the target was refused at delivery: ${sent.message}` });
    return 1;
  }
  if (sent.kind === "skipped") return 0;
  report(sent.result);
  return sent.result.accepted ? 0 : 1;
}

/** The store's cursor row for this key; `seen` is kept in its ids list. */
function storeCursors(store: Store, key: { account: string; types: readonly string[]; target: string }) {
  return {
    load: async () => {
      const saved = await store.cursors.get(key);
      return saved ? { watermark: saved.watermark, seen: [...saved.idsAtWatermark] } : undefined;
    },
    save: (cursor: ListenCursor) =>
      store.cursors.save(key, { watermark: cursor.watermark, idsAtWatermark: cursor.seen }),
  };
}

/** Calls `stop` on the first SIGINT/SIGTERM; a second one exits at once. Returns the unsubscribe. */
function onceOnSignals(stop: () => void): () => void {
  let stopping = false;
  const handler = () => {
    if (stopping) process.exit(130);
    stopping = true;
    stop();
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}
