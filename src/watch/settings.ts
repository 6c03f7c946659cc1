// The watch's settings from its flags and env, refused with a clear message before anything starts.
import { ConfigError } from "../errors.js";
import { parseSpanMs } from "../text/duration.js";
import { ALERT_SECRET_VARIABLE, alertUrlProblem } from "./alert-post.js";
import { DEFAULT_THRESHOLDS, type LadderThresholds } from "./ladder.js";
import type { OutputMode } from "./output.js";
import { DEFAULT_COOLDOWN_MS } from "./transitions.js";

/**
 * 60 s: a tick costs one request per webhook plus the list, so 50 webhooks are ~51 requests a minute, far below
 * any API's per-second limits even though Exa publishes none; and at_risk builds over hours, so checking more
 * often buys nothing. Down to 1 s is accepted for tests and the sandbox.
 */
export const DEFAULT_INTERVAL_MS = 60_000;
export const MIN_INTERVAL_MS = 1_000;
const DEFAULT_ALERT_TIMEOUT_MS = 5_000;

export interface WatchFlags {
  interval: string | undefined;
  alertUrl: string | undefined;
  alertSecret: string | undefined;
  output: string | undefined;
  atRiskAfter: string | undefined;
  cooldown: string | undefined;
  channel: boolean;
}

export interface WatchSettings {
  intervalMs: number;
  alertUrl: string | undefined;
  alertSecret: string | undefined;
  /** Undefined: compact on a TTY, json otherwise. */
  output: OutputMode | undefined;
  thresholds: LadderThresholds;
  cooldownMs: number;
  alertTimeoutMs: number;
  channel: boolean;
}

export function watchSettings(flags: WatchFlags, env: NodeJS.ProcessEnv): WatchSettings {
  const intervalMs = flags.interval === undefined ? DEFAULT_INTERVAL_MS : parseDuration(flags.interval, "--interval");
  if (intervalMs < MIN_INTERVAL_MS)
    throw new ConfigError(`--interval must be 1s or more, got "${flags.interval}". 60s is recommended.`, 2);
  const alertUrl = flags.alertUrl?.trim() || undefined;
  if (alertUrl) {
    const problem = alertUrlProblem(alertUrl);
    if (problem) throw new ConfigError(problem, 2);
  }
  const output = flags.output;
  if (output !== undefined && output !== "compact" && output !== "json" && output !== "quiet")
    throw new ConfigError(`--output must be compact, json or quiet, got "${output.slice(0, 50)}".`, 2);
  const atRiskRun = flags.atRiskAfter === undefined ? DEFAULT_THRESHOLDS.atRiskRun : Number(flags.atRiskAfter);
  if (!Number.isInteger(atRiskRun) || atRiskRun < 2)
    throw new ConfigError(
      `--at-risk-after must be a whole number of failed attempts, 2 or more, got "${flags.atRiskAfter}".`,
      2,
    );
  const timeout = Number(env.EXA_WEBHOOKS_ALERT_TIMEOUT_MS ?? DEFAULT_ALERT_TIMEOUT_MS);
  return {
    intervalMs,
    alertUrl,
    alertSecret: flags.alertSecret || env[ALERT_SECRET_VARIABLE] || undefined,
    output,
    thresholds: { ...DEFAULT_THRESHOLDS, atRiskRun },
    cooldownMs: flags.cooldown === undefined ? DEFAULT_COOLDOWN_MS : parseDuration(flags.cooldown, "--cooldown"),
    alertTimeoutMs: Number.isInteger(timeout) && timeout > 0 ? timeout : DEFAULT_ALERT_TIMEOUT_MS,
    channel: flags.channel,
  };
}

/** "60s", "5m", "1h", "1500ms"; a bare number is seconds. */
function parseDuration(raw: string, flag: string): number {
  const ms = parseSpanMs(raw, "s");
  if (ms === undefined)
    throw new ConfigError(`${flag} must be a duration like 60s, 5m or 1h, got "${raw.slice(0, 50)}".`, 2);
  return ms;
}
