// Seeds the demo account from real deliveries: creates the layout's webhooks, stores the timeline's events
// and POSTs each to every webhook subscribed at that moment, through the real delivery path, in parallel.
// Only the timestamps are virtual; retries run back to back instead of waiting out their backoff.
import { runWithConcurrency } from "../../net/pool.js";
import type { SandboxClock } from "../clock.js";
import type { DeliveryEngine } from "../delivery/engine.js";
import { SANDBOX_DELIVERY_TIMEOUT_MS } from "../delivery/schedule.js";
import type { IdSource } from "../ids.js";
import { type SandboxReceiver, startSandboxReceiver } from "../receivers/receiver.js";
import type { EmulatorStore } from "../store.js";
import { DEMO_WEBHOOKS } from "./layout.js";
import { demoTimeline } from "./timeline.js";

const HOUR = 3_600_000;
/**
 * Real time a seeding attempt to the slow receiver may take, recorded as the runtime's 10 s. It holds its
 * answer for longer than that (its answerAfterMs in receivers/catalog.ts, timed from after the request
 * arrived, in this process), so the sender's timer always fires first: a timeout whatever the machine's load. Its five back-to-back attempts per event
 * set the floor of the seeding time. Every other receiver answers at once or refuses the connection, and is
 * waited for without a limit: on a loaded machine (or in a GC pause) the process can sit without CPU for
 * seconds, and then fires its expired timers before it reads the answers waiting on its sockets, so any limit
 * would turn some healthy answers into timeouts and the demo's "healthy" webhook into "degraded".
 */
const SEED_SLOW_RECEIVER_TIMEOUT_MS = 250;
/**
 * Delivery chains in flight at once. Sender, receivers and store share one process: past ~16 concurrent
 * requests latency grows with no gain in throughput. The slow receiver's chains run beside this pool.
 */
const SEED_CONCURRENCY = 16;

export interface SeedReport {
  webhooks: number;
  events: number;
  attempts: number;
  wallMs: number;
}

/** The demo webhooks' receivers, by webhook id once the account is seeded. */
export type DemoReceivers = Map<string, SandboxReceiver>;

/** One receiver per webhook of the layout, in layout order, each on its own loopback port. */
export function startDemoReceivers(): Promise<SandboxReceiver[]> {
  return Promise.all(
    DEMO_WEBHOOKS.map((plan) => startSandboxReceiver({ behavior: plan.receiver, failEvery: plan.proxyFailsEvery })),
  );
}

/** Creates the layout's webhooks on `receivers` (from startDemoReceivers) and delivers the history to them. */
export async function seedDemoAccount(
  store: EmulatorStore,
  engine: DeliveryEngine,
  clock: SandboxClock,
  receivers: readonly SandboxReceiver[],
  /** Where the seeded history's ids and secrets come from; the store's own (random) source stays for the session. */
  ids: IdSource,
): Promise<{ report: SeedReport; receivers: DemoReceivers }> {
  const started = Date.now();
  const now = Date.now();
  const byWebhook: DemoReceivers = new Map();

  const webhooks = DEMO_WEBHOOKS.map((plan, i) => {
    const createdAt = now - plan.createdHoursAgo * HOUR;
    const receiver = receivers[i] as SandboxReceiver;
    const created = store.createWebhook({
      url: receiver.url,
      events: plan.events,
      metadata: { name: plan.name },
      createdAt,
      id: ids.webhookId(),
      secret: ids.webhookSecret(),
    });
    receiver.secret = created.secret as string;
    byWebhook.set(created.id, receiver);
    const inactiveAt = plan.inactiveSinceHoursAgo === undefined ? undefined : now - plan.inactiveSinceHoursAgo * HOUR;
    const timeoutMs = plan.receiver === "slow" ? SEED_SLOW_RECEIVER_TIMEOUT_MS : undefined;
    return { id: created.id, events: new Set<string>(plan.events), createdAt, inactiveAt, timeoutMs };
  });

  // Chains that will wait out timeouts run all at once beside the pool, so they never hold its lanes.
  const chains: (() => Promise<void>)[] = [];
  const waitingChains: (() => Promise<void>)[] = [];
  for (const item of demoTimeline(now, ids)) {
    const event = store.addEvent({ type: item.type, data: item.data, createdAt: item.at, id: ids.eventId() });
    for (const webhook of webhooks) {
      const live = item.at >= webhook.createdAt && (webhook.inactiveAt === undefined || item.at < webhook.inactiveAt);
      if (!live || !webhook.events.has(item.type)) continue;
      // Exa sends within a second or so of the event.
      const startAt = item.at + 200 + Math.floor(Math.random() * 900);
      const options = { startAt, timeoutMs: webhook.timeoutMs, reportedTimeoutMs: SANDBOX_DELIVERY_TIMEOUT_MS };
      const chain = () => engine.deliverInVirtualTime(event, webhook.id, options);
      (webhook.timeoutMs === undefined ? chains : waitingChains).push(chain);
    }
  }
  await Promise.all([
    Promise.all(waitingChains.map((chain) => chain())),
    runWithConcurrency(chains, SEED_CONCURRENCY, (chain) => chain()),
  ]);

  // Exa stopped delivering to the webhook whose receiver vanished; stamp the flip at that moment.
  for (const webhook of webhooks) {
    const { inactiveAt } = webhook;
    if (inactiveAt !== undefined) clock.at(inactiveAt, () => store.setWebhookStatus(webhook.id, "inactive"));
  }

  const attempts = webhooks.reduce((sum, webhook) => sum + store.listAttempts(webhook.id).length, 0);
  const report = {
    webhooks: webhooks.length,
    events: store.listEvents().length,
    attempts,
    wallMs: Date.now() - started,
  };
  return { report, receivers: byWebhook };
}
