// Configuration from environment variables and command-line flags, validated in one place.
import { z } from "zod";
import { plural } from "./format/words.js";
import { parseWebhookSecrets } from "./redeliver/secrets.js";

export const DEFAULT_BASE_URL = "https://api.exa.ai";

/** Whole-number settings: [default, maximum]. */
const NUMERIC_SETTINGS = {
  EXA_TIMEOUT_MS: [30_000, 600_000],
  EXA_MAX_CONCURRENCY: [4, 32],
  EXA_DIAGNOSE_BUDGET_MS: [60_000, 3_600_000],
  EXA_RETRY_BASE_MS: [500, 60_000],
} as const;
type NumericSetting = keyof typeof NUMERIC_SETTINGS;

const wholeNumber = z.coerce.number().int().min(1);

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
  /** EXA_WEBHOOK_SECRETS: webhook id → signing secret, for redeliver_events. A Map, so JSON.stringify shows none. */
  webhookSecrets: ReadonlyMap<string, string>;
}

export interface ConfigFlags {
  readOnly?: boolean;
  tools?: string[];
  sandbox?: boolean;
}

export class ConfigError extends Error {}

/** A bad number does not stop the server: it falls back to the default and says so through `warn`. */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  flags: ConfigFlags = {},
  warn: (message: string) => void = () => {},
): Config {
  const number = (name: NumericSetting): number => {
    const [fallback, max] = NUMERIC_SETTINGS[name];
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const parsed = wholeNumber.safeParse(raw);
    if (!parsed.success) {
      warn(`${name}="${raw.slice(0, 40)}" is not a whole number of at least 1; using ${fallback}.`);
      return fallback;
    }
    if (parsed.data > max) {
      warn(`${name}=${parsed.data} is above the maximum; using ${max}.`);
      return max;
    }
    return parsed.data;
  };
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
  };
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
  if (url.protocol === "http:" && !allowInsecure && !isLoopback(url.hostname)) {
    throw new ConfigError(
      `EXA_BASE_URL "${url.origin}" is plain http to a host that is not loopback, so EXA_API_KEY would travel in clear text. Use https, or set EXA_ALLOW_INSECURE_BASE_URL=1 if that network is trusted.`,
    );
  }
  // Accept ".../", ".../websets" and ".../websets/v0" alike: the client appends /websets/v0 itself.
  const path = url.pathname.replace(/\/+$/, "").replace(/\/websets(\/v0)?$/, "");
  return `${url.origin}${path}`;
}

/** 127.0.0.0/8, ::1 and localhost (as URL writes them: IPv4 normalized, IPv6 in brackets). */
function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
