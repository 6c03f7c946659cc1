// Configuration from environment variables and command-line flags, validated in one place.
import { z } from "zod";

export const DEFAULT_BASE_URL = "https://api.exa.ai";

const positiveInt = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).catch(fallback).default(fallback);

const envSchema = z.object({
  EXA_API_KEY: z
    .string()
    .transform((key) => key.trim())
    .optional(),
  EXA_BASE_URL: z.string().optional(),
  EXA_TIMEOUT_MS: positiveInt(30_000, 600_000),
  EXA_MAX_CONCURRENCY: positiveInt(4, 32),
  EXA_DIAGNOSE_BUDGET_MS: positiveInt(60_000, 3_600_000),
  EXA_RETRY_BASE_MS: positiveInt(500, 60_000),
});

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
}

export interface ConfigFlags {
  readOnly?: boolean;
  tools?: string[];
  sandbox?: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): Config {
  const parsed = envSchema.parse(env);
  const baseUrl = normalizeBaseUrl(parsed.EXA_BASE_URL || DEFAULT_BASE_URL);
  return {
    apiKey: parsed.EXA_API_KEY || undefined,
    baseUrl,
    timeoutMs: parsed.EXA_TIMEOUT_MS,
    maxConcurrency: parsed.EXA_MAX_CONCURRENCY,
    diagnoseBudgetMs: parsed.EXA_DIAGNOSE_BUDGET_MS,
    retryBaseMs: parsed.EXA_RETRY_BASE_MS,
    readOnly: flags.readOnly ?? false,
    tools: flags.tools,
    sandbox: flags.sandbox ?? false,
  };
}

function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`EXA_BASE_URL is not a URL: "${raw}". Use an origin like ${DEFAULT_BASE_URL}.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`EXA_BASE_URL must be http(s), got "${url.protocol}".`);
  }
  // Accept "https://api.exa.ai/" and "https://api.exa.ai/websets" alike: the client appends /websets/v0.
  const path = url.pathname.replace(/\/+$/, "").replace(/\/websets$/, "");
  return `${url.origin}${path}`;
}
