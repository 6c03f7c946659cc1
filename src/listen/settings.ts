// listen's tunables from the environment: the poll interval (idle waits grow to 10× it), the per-POST deadline
// and the lease's lifetime. A bad value falls back to the default and says so.
import { DEFAULT_POLL_POLICY, type PollPolicy } from "./poll-policy.js";

export interface ListenSettings {
  poll: PollPolicy;
  /** undefined: the default 10 s. */
  postTimeoutMs: number | undefined;
  /** How long a listener's claim on its cursor lasts without renewal (renewed every third of it). */
  leaseMs: number;
}

const DEFAULT_LEASE_MS = 30_000;

export function listenSettings(env: NodeJS.ProcessEnv, warn: (message: string) => void): ListenSettings {
  const read = (name: string): number | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const value = Number(raw);
    if (Number.isSafeInteger(value) && value >= 1) return value;
    warn(`${name}="${raw.slice(0, 40)}" is not a whole number of milliseconds; using the default.`);
    return undefined;
  };
  const activeMs = read("EXA_LISTEN_POLL_MS") ?? DEFAULT_POLL_POLICY.activeMs;
  return {
    poll: {
      activeMs,
      idleMaxMs: activeMs * (DEFAULT_POLL_POLICY.idleMaxMs / DEFAULT_POLL_POLICY.activeMs),
      quietPolls: DEFAULT_POLL_POLICY.quietPolls,
    },
    postTimeoutMs: read("EXA_LISTEN_TIMEOUT_MS"),
    leaseMs: read("EXA_LISTEN_LEASE_MS") ?? DEFAULT_LEASE_MS,
  };
}
