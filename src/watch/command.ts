// `exa-webhooks-mcp watch` and the server's `--watch`: settings from flags and env, then a running watch with
// its output. The config arrives as plain fields (src/config.ts sits above this folder).
import { ConfigError } from "../errors.js";
import { createStoreAccess, type StoreSpec } from "../store/index.js";
import { VERSION } from "../version.js";
import type { OutputMode } from "./output.js";
import { type RunningWatch, startWatch } from "./run.js";
import { type WatchFlags, type WatchSettings, watchSettings } from "./settings.js";

export type { WatchSettings } from "./settings.js";

/** The fields of the server's Config a watch uses. */
export interface WatchConfig {
  apiKey: string | undefined;
  baseUrl: string;
  timeoutMs: number;
  retryBaseMs: number;
  maxConcurrency: number;
  sandbox: boolean;
  allowPrivateTargets?: boolean | undefined;
  store?: StoreSpec | undefined;
}

export interface WatchOutput {
  write(line: string): void;
  warn(line: string): void;
  isTTY: boolean;
}

/** The watch's settings, every refusal thrown before anything starts (a sandbox, a store). */
export function checkWatch(
  config: Pick<WatchConfig, "apiKey" | "sandbox">,
  flags: WatchFlags,
  env: NodeJS.ProcessEnv,
): WatchSettings {
  const settings = watchSettings(flags, env);
  if (!config.apiKey && !config.sandbox)
    throw new ConfigError(
      "EXA_API_KEY is not set: the watch reads your webhooks with it. Set it (https://dashboard.exa.ai/api-keys), or add --sandbox to watch the demo account.",
    );
  return settings;
}

export async function launchWatch(
  config: WatchConfig,
  settings: WatchSettings,
  output: WatchOutput,
): Promise<RunningWatch> {
  if (!config.apiKey) throw new ConfigError("EXA_API_KEY is not set: the watch reads your webhooks with it.");
  const mode: OutputMode = settings.output ?? "compact";
  const json = settings.output === "json" || (settings.output !== "compact" && !output.isTTY);
  const watch = await startWatch(
    {
      baseUrl: config.baseUrl,
      apiKey: config.apiKey,
      timeoutMs: config.timeoutMs,
      retryBaseMs: config.retryBaseMs,
      concurrency: config.maxConcurrency,
      sandbox: config.sandbox,
      allowPrivateTargets: config.allowPrivateTargets ?? false,
      userAgent: `exa-webhooks-mcp/${VERSION} watch`,
      store: config.store ? createStoreAccess(config.store) : undefined,
    },
    settings,
    { line: output.write, warn: output.warn, json, mode },
  );
  return watch;
}
