// Command-line parsing: which mode to run and with which flags. Unknown flags are a usage error (exit 2).
import type { WatchFlags } from "../watch/settings.js";
import type { ListenFlagValues } from "./listen-args.js";

// Not `import { parseArgs } from "node:util"`: an ESM import of a builtin builds a facade of all its exports,
// and node:util's lazy ones make that about 10 ms of every start. getBuiltinModule hands over the module itself.
const { parseArgs } = process.getBuiltinModule("node:util");

export const USAGE = `Usage:
  exa-webhooks-mcp [--sandbox] [--read-only] [--tools a,b] [--http [--port N] [--host H] [hosting flags]]
      Run the MCP server (stdio by default). Needs EXA_API_KEY unless --sandbox (or, over --http, each
      request brings its own key in X-Exa-Api-Key).
  exa-webhooks-mcp call <tool> [json-args] [--sandbox] [--read-only] [--html FILE]
      Run one tool once and print its text (exit 1 when the tool reports an error). With --html (diagnose_failures
      only), also write the delivery health view with the result inlined to FILE: open it in any browser.
  exa-webhooks-mcp listen --forward-to URL [--webhook ID | --events t1,t2] [--since 2h|ISO]
      [--output compact|json|quiet] [--replay EVENT_ID] [--secret S] [--allow-remote-target] [--sandbox] [--store S]
      Forward real Exa events to a local receiver by polling the event log: no tunnel. Resumes where it
      stopped (the cursor lives in the store); --since backfills (Exa keeps 60 days). At-least-once.
  exa-webhooks-mcp emulator [--port 8787] [--seed demo|empty]
      Run the Exa webhooks API emulator alone, for testing your own code with exa-js or curl.
  exa-webhooks-mcp watch [--interval 60s] [--alert-url URL] [--alert-secret S] [--output compact|json|quiet]
      [--at-risk-after N] [--cooldown 10m] [--sandbox] [--store S]
      Keep a health check of every webhook running; print (and POST) each change of state: healthy, degraded,
      failing, at_risk, inactive, recovered. The server runs the same loop with --watch [interval].
  exa-webhooks-mcp store [--store S] [--prune-days N]
      Print where memory lives (engine, location, schema version, row counts); --prune-days N first
      deletes rows older than N days (rows older than 90 days are pruned anyway).

Flags:
  --sandbox        Use the built-in emulator with a seeded demo account (no key, simulated data).
  --read-only      Do not register tools that change state (webhooks, sandbox events).
  --tools a,b      Register only these tools.
  --http           Serve Streamable HTTP at /mcp instead of stdio (binds 127.0.0.1 by default);
                   GET /healthz answers 200 without auth.
  --port N         Port for --http or emulator (0 = any free port; --http falls back to PORT, then 0).
  --host H         Host for --http (default 127.0.0.1). A host that is not loopback needs MCP_AUTH_TOKEN.
  --auth-token-file PATH   --http: require "Authorization: Bearer <token>", the token read from PATH.
  --allow-unauthenticated  --http: serve a host that is not loopback without a token (warns on stderr).
  --per-request-keys       --http: an X-Exa-Api-Key request header wins over EXA_API_KEY.
  --watch [60s]    Run the watch loop beside the server: health resources (exa-webhooks://health) with
                   resources/updated on each change; --channel also pushes it into a Claude Code session
                   (research preview). Alerts: --alert-url as with the watch command.
  --seed S         Emulator seed: demo (default) or empty.
  --forward-to URL listen: the receiver (loopback only unless --allow-remote-target; private, link-local and
                   metadata addresses are refused even then).
  --webhook ID     listen: forward the types this webhook subscribes to, signed with its secret when known.
  --events a,b     listen: forward these event types instead (default: every type).
  --since S        listen: on a fresh cursor, start this far back ("2h", "7d" or an ISO time).
  --output O       listen, watch: compact (default on a terminal), json (one object per line; default otherwise), quiet.
  --replay ID      listen: send this one event again, then exit.
  --secret S       listen: sign with this secret (the webhook's, from create_webhook) instead of EXA_WEBHOOK_SECRETS.
                   $XDG_STATE_HOME/exa-webhooks-mcp/state.db (~/.local/state/…); --sandbox: memory.
  --help, --version

Environment:
  EXA_API_KEY            Your Exa API key (https://dashboard.exa.ai/api-keys).
  EXA_BASE_URL           API origin (default https://api.exa.ai).
  EXA_WEBHOOKS_ALLOW_PRIVATE_TARGETS=1  Let a server on stdio or loopback POST to private addresses (redelivery).
  EXA_ALLOW_INSECURE_BASE_URL=1  Allow http:// to a host that is not loopback (the key travels in clear).
  EXA_TIMEOUT_MS         Per-request timeout (default 30000).
  EXA_MAX_CONCURRENCY    Parallel requests of diagnose_failures and redeliver_events (default 4).
  EXA_DIAGNOSE_BUDGET_MS Time budget of one diagnose_failures or redeliver_events call (default 60000).
  EXA_RETRY_BASE_MS      Base of the backoff between retries (default 500).
  EXA_WEBHOOK_SECRETS    Signing secrets for redeliver_events and listen: webhook_id=secret pairs, comma-separated.
  EXA_LISTEN_POLL_MS     listen: the poll interval while events flow (default 2000; idle waits grow to 10×).
  EXA_LISTEN_TIMEOUT_MS  listen: each POST's deadline (default 10000).
  EXA_LISTEN_LEASE_MS    listen: how long a killed listener keeps its cursor from others (default 30000).
  EXA_WEBHOOKS_STORE     Same as --store (the flag wins).
  EXA_WEBHOOKS_ALERT_SECRET  Signs watch alerts (Exa-Webhooks-Signature: t=…,v1=…); same as --alert-secret.
  MCP_AUTH_TOKEN         --http: the bearer token every request must carry (16+ visible characters).
  MCP_ALLOWED_HOSTS      --http: extra Host names accepted (comma-separated).
  MCP_ALLOWED_ORIGINS    --http: extra browser origins accepted, as scheme://host:port (comma-separated).
  MCP_HEADERS_TIMEOUT_MS --http: time a client has to send its request headers (default 10000).
  PORT                   --http: the port when --port is not given.`;

export type Command =
  | { mode: "help" }
  | { mode: "version" }
  | { mode: "serve"; flags: ServeFlags }
  | { mode: "call"; tool: string; argsJson: string | undefined; htmlFile: string | undefined; flags: ServeFlags }
  | { mode: "emulator"; port: number; seed: "demo" | "empty" }
  /** listen's flags as read; src/cli/listen-args.ts checks them when the command runs, before anything starts. */
  | { mode: "listen"; listen: ListenFlagValues }
  | { mode: "store"; store: string | undefined; pruneDays: number | undefined }
  | { mode: "watch"; flags: ServeFlags; watch: WatchFlags };

export interface ServeFlags {
  sandbox: boolean;
  readOnly: boolean;
  tools: string[] | undefined;
  http: boolean;
  /** Undefined when --port is not given: --http then falls back to PORT (src/config.ts). */
  port: number | undefined;
  host: string;
  authTokenFile: string | undefined;
  allowUnauthenticated: boolean;
  perRequestKeys: boolean;
  store: string | undefined;
  /** --watch [interval] on the server: the watch loop beside it. */
  watch?: WatchFlags | undefined;
}

export class UsageError extends Error {}

export function parseCommand(argv: string[]): Command {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(withWatchValue(argv));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { mode: "help" };
  if (values.version) return { mode: "version" };

  const [subcommand, ...rest] = positionals;
  if (subcommand === "listen") {
    if (rest.length) throw new UsageError(`Unexpected argument "${rest[0]}" for listen.`);
    const notListen = ["read-only", "tools", "http", "port", "host", "seed", "prune-days", "html", "watch"];
    const other = [...notListen, ...HOSTING_FLAGS, ...WATCH_FLAGS.filter((name) => name !== "output")].find(
      (name) => values[name as keyof typeof values] !== undefined,
    );
    if (other) throw new UsageError(`--${other} does not apply to listen.`);
    return { mode: "listen", listen: values };
  }
  const listenOnly = LISTEN_ONLY_FLAGS.find((name) => values[name] !== undefined);
  if (listenOnly) throw new UsageError(`--${listenOnly} goes with the listen command.`);
  if (subcommand === "emulator") {
    if (rest.length) throw new UsageError(`Unexpected argument "${rest[0]}" for emulator.`);
    const seed = values.seed ?? "demo";
    if (seed !== "demo" && seed !== "empty") throw new UsageError(`--seed must be demo or empty, got "${seed}".`);
    return { mode: "emulator", port: parsePort(values.port, 8787), seed };
  }
  if (values.seed !== undefined) throw new UsageError("--seed only applies to the emulator command.");
  if (subcommand === "store") {
    if (rest.length) throw new UsageError(`Unexpected argument "${rest[0]}" for store.`);
    return { mode: "store", store: values.store, pruneDays: parsePruneDays(values["prune-days"]) };
  }
  if (values["prune-days"] !== undefined) throw new UsageError("--prune-days only applies to the store command.");

  const flags: ServeFlags = {
    sandbox: values.sandbox ?? false,
    readOnly: values["read-only"] ?? false,
    tools: parseToolList(values.tools),
    http: values.http ?? false,
    port: values.port === undefined ? undefined : parsePort(values.port, 0),
    host: values.host ?? "127.0.0.1",
    authTokenFile: values["auth-token-file"],
    allowUnauthenticated: values["allow-unauthenticated"] ?? false,
    perRequestKeys: values["per-request-keys"] ?? false,
    store: values.store,
  };
  const watch: WatchFlags = {
    interval: values.interval ?? (values.watch === BARE_WATCH ? undefined : values.watch),
    alertUrl: values["alert-url"],
    alertSecret: values["alert-secret"],
    output: values.output,
    atRiskAfter: values["at-risk-after"],
    cooldown: values.cooldown,
    channel: values.channel ?? false,
  };
  const watchFlag = WATCH_FLAGS.find((name) => values[name] !== undefined);
  if (subcommand === "watch") {
    if (rest.length) throw new UsageError(`Unexpected argument "${rest[0]}" for watch.`);
    if (values.watch !== undefined) throw new UsageError("watch is the command; --watch goes with the server.");
    if (watch.channel)
      throw new UsageError("--channel goes with the server's --watch: the watch command has no MCP client to tell.");
    if (flags.http) throw new UsageError("--http goes with the server: run the server with --http --watch instead.");
    return { mode: "watch", flags, watch };
  }
  if (values.watch !== undefined) {
    if (values.interval !== undefined) throw new UsageError("Give the interval to --watch itself: --watch 60s.");
    if (subcommand === undefined) flags.watch = watch;
  } else if (watchFlag) {
    throw new UsageError(`--${watchFlag} goes with the watch command or the server's --watch.`);
  }
  const hostingFlag = HOSTING_FLAGS.find((name) => values[name] !== undefined);
  if (!flags.http && hostingFlag) throw new UsageError(`--${hostingFlag} goes with --http.`);
  if (subcommand === "call") {
    const [tool, argsJson, extra] = rest;
    if (!tool) throw new UsageError("call needs a tool name, e.g. call list_webhooks '{}'.");
    if (extra !== undefined) throw new UsageError(`Unexpected argument "${extra}" for call.`);
    const htmlFile = values.html;
    if (htmlFile !== undefined && tool !== HTML_TOOL)
      throw new UsageError(`--html writes the health view of ${HTML_TOOL}; ${tool} has none.`);
    if (htmlFile !== undefined && htmlFile.trim() === "") throw new UsageError("--html needs a file path.");
    return { mode: "call", tool, argsJson, htmlFile, flags };
  }
  if (values.html !== undefined) throw new UsageError(`--html goes with call ${HTML_TOOL}.`);
  if (subcommand !== undefined) throw new UsageError(`Unknown command "${subcommand}".`);
  if (!flags.http && (values.port !== undefined || values.host !== undefined)) {
    throw new UsageError("--port and --host go with --http (or the emulator command).");
  }
  return { mode: "serve", flags };
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
      sandbox: { type: "boolean" },
      "read-only": { type: "boolean" },
      tools: { type: "string" },
      http: { type: "boolean" },
      port: { type: "string" },
      host: { type: "string" },
      "auth-token-file": { type: "string" },
      "allow-unauthenticated": { type: "boolean" },
      "per-request-keys": { type: "boolean" },
      seed: { type: "string" },
      "forward-to": { type: "string" },
      webhook: { type: "string" },
      events: { type: "string" },
      since: { type: "string" },
      output: { type: "string" },
      replay: { type: "string" },
      secret: { type: "string" },
      "allow-remote-target": { type: "boolean" },
      store: { type: "string" },
      "prune-days": { type: "string" },
      html: { type: "string" },
      watch: { type: "string" },
      interval: { type: "string" },
      "alert-url": { type: "string" },
      "alert-secret": { type: "string" },
      "at-risk-after": { type: "string" },
      cooldown: { type: "string" },
      channel: { type: "boolean" },
    },
  });
}

/** Flags that only mean something to listen: any other command refuses them. */
const LISTEN_ONLY_FLAGS = [
  "forward-to",
  "webhook",
  "events",
  "since",
  "replay",
  "secret",
  "allow-remote-target",
] as const;

/** The one tool with a view to write. */
const HTML_TOOL = "diagnose_failures";

const HOSTING_FLAGS = ["auth-token-file", "allow-unauthenticated", "per-request-keys"] as const;

const WATCH_FLAGS = [
  "interval",
  "alert-url",
  "alert-secret",
  "output",
  "at-risk-after",
  "cooldown",
  "channel",
] as const;
/** What --watch holds when no interval followed it. */
const BARE_WATCH = "";

/** `--watch` takes an optional interval: `--watch 30s` keeps it, a bare `--watch` gets an empty value. */
function withWatchValue(argv: string[]): string[] {
  return argv.flatMap((arg, index) => {
    if (arg !== "--watch") return [arg];
    const next = argv[index + 1];
    return next !== undefined && /^\d+(\.\d+)?(ms|s|m|h)?$/.test(next) ? [arg] : [`--watch=${BARE_WATCH}`];
  });
}

function parsePort(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0-65535, got "${raw}".`);
  return port;
}

function parseToolList(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (!names.length) throw new UsageError("--tools needs at least one tool name.");
  return names;
}

function parsePruneDays(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const days = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || days < 1)
    throw new UsageError(`--prune-days must be a whole number of days (1 or more), got "${raw}".`);
  return days;
}
