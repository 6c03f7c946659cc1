// What a running watch shows the MCP side: the latest health of every webhook, and each tick's transitions
// as they happen (health resources send resources/updated from them; --channel sends a channel message).
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

  constructor(intervalMs: number) {
    this.current = { webhooks: [], checkedAt: undefined, intervalMs, active: true };
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
