// How each sandbox receiver behaviour answers, one record each: the numbers the receiver acts on and the words
// that tell a user about them, built from those numbers. Plain data, so the tool registry can read it without
// loading the sandbox.
import { SANDBOX_DELIVERY_TIMEOUT_MS } from "../delivery/schedule.js";

interface BehaviorRecord {
  /** What a sender sees, completing "it …" (sandbox_set_receiver's answer). */
  readonly description: string;
  /** The same in a few words, for the list of choices in the tool's input schema. */
  readonly outcome: string;
}

const flaky = {
  /** Its proxy fails one request in this many. */
  proxyFailsEvery: 5,
  get description(): string {
    return `like healthy, but its proxy answers 503 to every ${ordinal(this.proxyFailsEvery)} request`;
  },
  get outcome(): string {
    return `503 every ${ordinal(this.proxyFailsEvery)}`;
  },
};

const slow = {
  /** Longer than the delivery timeout, so every delivery to it times out. */
  answerAfterMs: 12_000,
  get description(): string {
    return `answers after ${seconds(this.answerAfterMs)}, past the ${seconds(SANDBOX_DELIVERY_TIMEOUT_MS)} timeout`;
  },
  outcome: "times out",
};

export const RECEIVER_BEHAVIORS = {
  healthy: {
    description: "verifies Exa-Signature with the webhook's secret, answers 200 (401 if invalid)",
    outcome: "fixes it",
  },
  flaky,
  crashing: { description: "500 with a stack trace", outcome: "500" },
  missing_route: { description: "404 Cannot POST", outcome: "404" },
  wrong_secret: { description: "verifies with a stale secret: 401", outcome: "401" },
  slow,
  redirect: { description: "301 to https", outcome: "301" },
  down: { description: "connection refused", outcome: "refuses" },
} satisfies Record<string, BehaviorRecord>;

export type ReceiverBehavior = keyof typeof RECEIVER_BEHAVIORS;

/** "healthy fixes it; the others fail: crashing 500, …": every behaviour, for a tool's input description. */
export function receiverChoicesText(): string {
  const failing = Object.entries(RECEIVER_BEHAVIORS)
    .filter(([name]) => name !== "healthy")
    .map(([name, record]) => `${name} ${record.outcome}`);
  return `healthy ${RECEIVER_BEHAVIORS.healthy.outcome}; the others fail: ${failing.join(", ")}.`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
