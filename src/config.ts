// Configuration from environment variables and command-line flags, validated in one place.

import { ConfigError } from "./errors.js";
import { isLoopbackHost } from "./exa/hosts.js";
import { parseWebhookSecrets } from "./redeliver/secrets.js";
import { resolveStoreSpec } from "./store/spec.js";
import type { StoreSpec } from "./store/types.js";
import { plural } from "./text/words.js";

export const DEFAULT_BASE_URL = "https://api.exa.ai";

/** Whole-number settings: [default, maximum]. */
const NUMERIC_SETTINGS = {
  EXA_TIMEOUT_MS: [30_000, 600_000],
  EXA_MAX_CONCURRENCY: [4, 32],
  EXA_DIAGNOSE_BUDGET_MS: [60_000, 3_600_000],
  EXA_RETRY_BASE_MS: [500, 60_000],
} as const;
type NumericSetting = keyof typeof NUMERIC_SETTINGS;

export interface Config {
  /** Undefined when not set: the server still starts and every Exa tool explains how to set it. */
  apiKey: string | undefined;
  /** Origin of the Exa API; the client appends /websets/v0/... */
  baseUrl: string;
  timeoutMs: number;
  maxConcurrency: number;
  diagnoseBudgetMs: number;
  retryBaseMs: number;
  readOnly: boolean;
  /** Only these tools are registered when set. */
  tools: string[] | undefined;
  /** Running against the embedded emulator with simulated data. */
  sandbox: boolean;
  /** --http on a host that is not loopback: callers on other machines, so nothing is sent to this host's loopback. */
  remoteCallers?: boolean;
  /** EXA_WEBHOOKS_ALLOW_PRIVATE_TARGETS=1: a server on stdio or loopback may POST to private addresses (src/net/egress.ts). */
  allowPrivateTargets?: boolean;
  /** EXA_WEBHOOK_SECRETS: webhook id → signing secret, for redeliver_events. A Map, so JSON.stringify shows none. */
  webhookSecrets: ReadonlyMap<string, string>;
  /** Where memory lives (--store / EXA_WEBHOOKS_STORE; the sandbox: memory). Opened on first use, never here. */
  store?: StoreSpec;
}

export interface ConfigFlags {
  readOnly?: boolean;
  tools?: string[];
  sandbox?: boolean;
  store?: string | undefined;
}

/** A bad number does not stop the server: it falls back to the default and says so through `warn`. */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  flags: ConfigFlags = {},
  warn: (message: string) => void = () => {},
): Config {
  const number = (name: NumericSetting): number => wholeNumberSetting(env, name, NUMERIC_SETTINGS[name], warn);
  const webhookSecrets = parseWebhookSecrets(env.EXA_WEBHOOK_SECRETS);
  for (const warning of webhookSecrets.warnings) warn(warning);
  return {
    apiKey: apiKeyFrom(env.EXA_API_KEY),
    baseUrl: normalizeBaseUrl(env.EXA_BASE_URL?.trim() || DEFAULT_BASE_URL, env.EXA_ALLOW_INSECURE_BASE_URL === "1"),
    timeoutMs: number("EXA_TIMEOUT_MS"),
    maxConcurrency: number("EXA_MAX_CONCURRENCY"),
    diagnoseBudgetMs: number("EXA_DIAGNOSE_BUDGET_MS"),
    retryBaseMs: number("EXA_RETRY_BASE_MS"),
    readOnly: flags.readOnly ?? false,
    tools: flags.tools,
    sandbox: flags.sandbox ?? false,
    webhookSecrets: webhookSecrets.secrets,
    allowPrivateTargets: env.EXA_WEBHOOKS_ALLOW_PRIVATE_TARGETS === "1",
    store: resolveStoreSpec({ flag: flags.store, env, sandbox: flags.sandbox ?? false }),
  };
}

function wholeNumberSetting(
  env: NodeJS.ProcessEnv,
  name: string,
  [fallback, max]: readonly [number, number],
  warn: (message: string) => void,
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = wholeNumberOf(raw);
  if (value === undefined) {
    warn(`${name}="${raw.slice(0, 40)}" is not a whole number of at least 1; using ${fallback}.`);
    return fallback;
  }
  if (value > max) {
    warn(`${name}=${value} is above the maximum; using ${max}.`);
    return max;
  }
  return value;
}

/**
 * `raw` read as zod's `z.coerce.number().int().min(1)` reads it (Number(), then a safe integer of at least 1),
 * by hand so the server starts without building a zod schema. test/config/whole-number.test.ts holds the two
 * to agreement on seeded inputs.
 */
function wholeNumberOf(raw: string): number | undefined {
  const value = Number(raw);
  return Number.isSafeInteger(value) && value >= 1 ? value : undefined;
}

/** Every output is redacted of the key; a key of 1-3 characters would redact ordinary words, so refuse it. */
function apiKeyFrom(raw: string | undefined): string | undefined {
  const key = raw?.trim();
  if (!key) return undefined;
  if (key.length < 4) {
    throw new ConfigError(
      `EXA_API_KEY is ${plural(key.length, "character")} long, too short to be an Exa API key. Set the key from https://dashboard.exa.ai/api-keys.`,
    );
  }
  return key;
}

function normalizeBaseUrl(raw: string, allowInsecure: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`EXA_BASE_URL is not a URL: "${raw}". Use an origin like ${DEFAULT_BASE_URL}.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`EXA_BASE_URL must be http(s), got "${url.protocol}".`);
  }
  // Every request carries the key in a header: over plain http, anyone on the path could read it.
  if (url.protocol === "http:" && !allowInsecure && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      `EXA_BASE_URL "${url.origin}" is plain http to a host that is not loopback, so EXA_API_KEY would travel in clear text. Use https, or set EXA_ALLOW_INSECURE_BASE_URL=1 if that network is trusted.`,
    );
  }
  // Accept ".../", ".../websets" and ".../websets/v0" alike: the client appends /websets/v0 itself.
  const path = url.pathname.replace(/\/+$/, "").replace(/\/websets(\/v0)?$/, "");
  return `${url.origin}${path}`;
}

// ---- --http: who may call, on which address, and whose Exa key a request uses. ----

export interface HostingFlags {
  host: string;
  /** Undefined when --port was not given: PORT, then 0 (any free port). */
  port: number | undefined;
  authTokenFile?: string | undefined;
  allowUnauthenticated?: boolean;
  perRequestKeys?: boolean;
}

export interface HostingConfig {
  host: string;
  port: number;
  /** The bearer token every request must carry (MCP_AUTH_TOKEN or --auth-token-file); undefined: none. */
  authToken: string | undefined;
  /** The bind is not loopback: other machines can reach it (and the sandbox keeps to its demo receivers). */
  remoteCallers: boolean;
  /** An X-Exa-Api-Key request header is used for that request: no EXA_API_KEY, or --per-request-keys. */
  requestKeys: boolean;
  /** Host names accepted besides loopback's (MCP_ALLOWED_HOSTS); empty means any on a bind that is not loopback. */
  allowedHosts: string[];
  /** Browser origins accepted besides the server's own loopback origins (MCP_ALLOWED_ORIGINS), normalized. */
  allowedOrigins: string[];
  /** A client has this long to send its request headers (slow-loris); the whole request gets 3 times as long. */
  headersTimeoutMs: number;
}

/** A bearer token shorter than this is guessable; 16 random characters are not. */
export const MIN_AUTH_TOKEN_LENGTH = 16;
const HEADERS_TIMEOUT_MS: readonly [number, number] = [10_000, 300_000];

/**
 * Refuses (ConfigError, exit 2) what would serve the server's tools, and its key, to anyone: a bind that is
 * not loopback without a token. --allow-unauthenticated lifts that only where every caller brings their own
 * Exa key (no EXA_API_KEY, or --sandbox): an operator's key is never served to callers nobody authenticated.
 */
export function loadHostingConfig(
  env: NodeJS.ProcessEnv,
  flags: HostingFlags,
  config: Pick<Config, "apiKey" | "sandbox">,
  warn: (message: string) => void = () => {},
  // getBuiltinModule, not an import of node:fs: its ESM facade costs every start a few ms, for --http only.
  readFile: (path: string) => string = (path) => process.getBuiltinModule("node:fs").readFileSync(path, "utf8"),
): HostingConfig {
  const port = flags.port ?? portFromEnv(env.PORT);
  const remoteCallers = !isLoopbackHost(flags.host);
  const authToken = authTokenFrom(env.MCP_AUTH_TOKEN, flags.authTokenFile, readFile);
  if (remoteCallers && !authToken) refuseOpenBind(flags, config, warn);
  if (flags.perRequestKeys && config.sandbox) {
    throw new ConfigError("--per-request-keys does not go with --sandbox: the sandbox has its own key.", 2);
  }
  return {
    host: flags.host,
    port,
    authToken,
    remoteCallers,
    requestKeys: !config.sandbox && (!config.apiKey || (flags.perRequestKeys ?? false)),
    allowedHosts: listFrom(env.MCP_ALLOWED_HOSTS).map((host) => host.toLowerCase()),
    allowedOrigins: listFrom(env.MCP_ALLOWED_ORIGINS).map(originFrom),
    headersTimeoutMs: wholeNumberSetting(env, "MCP_HEADERS_TIMEOUT_MS", HEADERS_TIMEOUT_MS, warn),
  };
}

/** A bind that is not loopback without a token: refused, or (per-request keys only) served with a warning. */
function refuseOpenBind(
  flags: HostingFlags,
  config: Pick<Config, "apiKey" | "sandbox">,
  warn: (message: string) => void,
): void {
  const token = 'Set MCP_AUTH_TOKEN (or --auth-token-file PATH) to require "Authorization: Bearer <token>"';
  if (config.apiKey && !config.sandbox) {
    throw new ConfigError(
      `--host ${flags.host} is not a loopback address and EXA_API_KEY is set, so anyone who can reach the port could read, change and delete that account's webhooks. ${token}. --allow-unauthenticated does not lift this: it is only for servers where every caller brings their own key in X-Exa-Api-Key (unset EXA_API_KEY for that).`,
      2,
    );
  }
  if (!flags.allowUnauthenticated) {
    throw new ConfigError(
      `--host ${flags.host} is not a loopback address, so anyone who can reach the port could call every tool. ${token}, or pass --allow-unauthenticated when something in front of the server authenticates callers.`,
      2,
    );
  }
  warn(
    `warning: serving ${flags.host} without authentication (--allow-unauthenticated): anyone who can reach this port can call every tool, ${config.sandbox ? "on the sandbox's simulated account" : "each with the Exa key they send in X-Exa-Api-Key"}. Set MCP_AUTH_TOKEN to require a bearer token.`,
  );
}

function portFromEnv(raw: string | undefined): number {
  const text = raw?.trim();
  if (!text) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new ConfigError(`PORT must be 0-65535, got "${text.slice(0, 20)}".`, 2);
  return port;
}

function authTokenFrom(
  fromEnv: string | undefined,
  file: string | undefined,
  readFile: (path: string) => string,
): string | undefined {
  const envToken = fromEnv?.trim() || undefined;
  if (envToken && file !== undefined) {
    throw new ConfigError("Both MCP_AUTH_TOKEN and --auth-token-file are set: give the token one way.", 2);
  }
  let token = envToken;
  let source = "MCP_AUTH_TOKEN";
  if (file !== undefined) {
    source = `--auth-token-file ${file}`;
    try {
      token = readFile(file).trim();
    } catch (error) {
      throw new ConfigError(`${source}: cannot read it (${(error as NodeJS.ErrnoException).code ?? "error"}).`, 2);
    }
    if (!token) throw new ConfigError(`${source} is empty: put the bearer token in it.`, 2);
  }
  if (token === undefined) return undefined;
  // Never echo the token: only what is wrong with it.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new ConfigError(`${source} must be one token of visible ASCII characters (no spaces).`, 2);
  }
  if (token.length < MIN_AUTH_TOKEN_LENGTH) {
    throw new ConfigError(
      `${source} is ${plural(token.length, "character")} long; use at least ${MIN_AUTH_TOKEN_LENGTH} random characters (e.g. openssl rand -hex 32).`,
      2,
    );
  }
  return token;
}

function listFrom(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

function originFrom(raw: string): string {
  let origin: string;
  try {
    origin = new URL(raw).origin;
  } catch {
    origin = "null";
  }
  if (origin === "null") {
    throw new ConfigError(
      `MCP_ALLOWED_ORIGINS: "${raw.slice(0, 80)}" is not an origin like https://app.example.com.`,
      2,
    );
  }
  return origin;
}
