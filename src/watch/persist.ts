// The watch's memory in the store: the last state of each webhook is its newest ladder transition, so a
// restart picks up where it left off instead of alerting again. A store that fails is reported, and the watch
// carries on from what it holds in memory: alerts never wait on the store.
//
// The ladder is its own series (`watch:<webhook id>`), beside the diagnosis's verdict series (the webhook id):
// at_risk and recovered are no verdicts, and two vocabularies in one series would each read the other's last
// entry as a change and alert again.
import { HEALTH_STATES, type HealthState } from "./ladder.js";
import type { Transition } from "./transitions.js";

/** The part of src/store's History a watch uses, already bound to one account. */
export interface WatchHistory {
  last(webhookId: string): Promise<{ state: HealthState; at: Date } | undefined>;
  record(transition: Transition, cause: string): Promise<void>;
  forget(webhookId: string): Promise<void>;
}

/** The store's History for one account, as a WatchHistory. */
export function storeHistory(
  history: {
    lastTransition(account: string, webhookId: string): Promise<{ at: Date; to: string } | undefined>;
    addTransition(
      account: string,
      webhookId: string,
      transition: { at: Date; from: string; to: string; cause: string },
    ): Promise<void>;
    forgetWebhook(account: string, webhookId: string): Promise<void>;
  },
  account: string,
): WatchHistory {
  return {
    async last(webhookId) {
      const row = await history.lastTransition(account, ladderSeries(webhookId));
      if (!row || !isHealthState(row.to)) return undefined;
      return { state: row.to, at: row.at };
    },
    record: (transition, cause) =>
      history.addTransition(account, ladderSeries(transition.webhookId), {
        at: new Date(transition.at),
        from: transition.from,
        to: transition.to,
        cause,
      }),
    async forget(webhookId) {
      await history.forgetWebhook(account, ladderSeries(webhookId));
      await history.forgetWebhook(account, webhookId);
    },
  };
}

const ladderSeries = (webhookId: string) => `watch:${webhookId}`;

function isHealthState(value: string): value is HealthState {
  return (HEALTH_STATES as readonly string[]).includes(value);
}
