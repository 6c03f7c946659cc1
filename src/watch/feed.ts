// What a running watch shows the MCP side: the latest health of every webhook, and each tick's transitions
// as they happen (health resources send resources/updated from them; --channel sends a channel message), and
// whose account that is: the watch reads with one key, and only a caller with that key may see it.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Transition } from "./transitions.js";
import type { WebhookHealth } from "./watcher.js";

export interface HealthSnapshot {
  webhooks: WebhookHealth[];
  /** The last completed tick (ISO); undefined before the first. */
  checkedAt: string | undefined;
  intervalMs: number;
  /** False while another replica holds the watch lease: this one only stands by. */
  active: boolean;
}

export type TransitionListener = (transitions: readonly Transition[]) => void;

export class HealthFeed {
  private current: HealthSnapshot;
  private readonly listeners = new Set<TransitionListener>();
  /** The watch's key, hashed: the key itself is neither kept here nor shown. */
  private readonly keyDigest: Buffer;

  constructor(intervalMs: number, apiKey: string) {
    this.current = { webhooks: [], checkedAt: undefined, intervalMs, active: true };
    this.keyDigest = digest(apiKey);
  }

  /**
   * Whether a caller using `apiKey` (over HTTP with --per-request-keys, its own) is of the watched account. Two
   * keys of one Exa account cannot be told apart from two accounts here, so only the same key is.
   */
  watchesKey(apiKey: string | undefined): boolean {
    // Both sides hashed to one length: the comparison takes the same time whatever the caller sent.
    return apiKey !== undefined && timingSafeEqual(digest(apiKey), this.keyDigest);
  }

  snapshot(): HealthSnapshot {
    return this.current;
  }

  /** A listener that throws never stops the others or the watch. */
  onTransitions(listener: TransitionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(snapshot: HealthSnapshot, transitions: readonly Transition[]): void {
    this.current = snapshot;
    if (!transitions.length) return;
    for (const listener of this.listeners) {
      try {
        listener(transitions);
      } catch {
        // A connection that went away; the watch goes on.
      }
    }
  }
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
