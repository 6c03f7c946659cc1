// The demo account: which webhooks exist, what each subscribes to, which local receiver it points at,
// and when it was created. Together they produce every failure category and every verdict.
// Every webhook gets a receiver of its own, so sandbox_set_receiver can fix one without touching another.
import type { EventType } from "../../exa/event-types.js";
import type { ReceiverBehavior } from "../handle.js";

/** The healthy receivers' proxy fails 1 request in this many: a few recovered events, still "healthy". */
const HEALTHY_BLIP_EVERY = 40;

interface DemoWebhookPlan {
  receiver: ReceiverBehavior;
  /** The receiver's proxy fails 1 request in this many, until sandbox_set_receiver sets a behaviour. */
  proxyFailsEvery?: number;
  /** metadata.name, so a model can tell the webhooks apart. */
  name: string;
  events: EventType[];
  createdHoursAgo: number;
  /** Exa stopped delivering this many hours ago, after the failures before it (status becomes inactive). */
  inactiveSinceHoursAgo?: number;
}

/** How far back the seeded history reaches. */
export const DEMO_HISTORY_HOURS = 72;

// Expected verdicts: healthy (with a few recovered events), degraded, failing ×5, inactive, no_traffic.
export const DEMO_WEBHOOKS: readonly DemoWebhookPlan[] = [
  {
    receiver: "healthy",
    proxyFailsEvery: HEALTHY_BLIP_EVERY,
    name: "production-ingest",
    events: ["webset.created", "webset.item.created", "webset.item.enriched", "webset.idle"],
    createdHoursAgo: 72,
  },
  {
    receiver: "flaky",
    name: "analytics-pipeline",
    events: ["webset.item.created", "webset.search.updated", "webset.search.completed"],
    createdHoursAgo: 70,
  },
  { receiver: "crashing", name: "crm-sync", events: ["webset.item.enriched"], createdHoursAgo: 30 },
  {
    receiver: "missing_route",
    name: "slack-alerts",
    events: ["webset.idle", "webset.search.completed", "monitor.run.completed"],
    createdHoursAgo: 72,
  },
  {
    receiver: "wrong_secret",
    name: "billing-usage",
    events: ["webset.created", "import.created", "import.completed"],
    createdHoursAgo: 66,
  },
  {
    receiver: "slow",
    name: "enrichment-worker",
    events: ["webset.search.created", "webset.search.completed", "monitor.run.created"],
    createdHoursAgo: 60,
  },
  { receiver: "redirect", name: "marketing-site", events: ["webset.created", "webset.idle"], createdHoursAgo: 72 },
  {
    receiver: "down",
    name: "local-dev-tunnel",
    events: ["webset.created", "webset.search.completed", "webset.idle"],
    createdHoursAgo: 72,
    inactiveSinceHoursAgo: 40,
  },
  {
    receiver: "healthy",
    proxyFailsEvery: HEALTHY_BLIP_EVERY,
    name: "export-archiver",
    events: ["webset.export.completed"],
    createdHoursAgo: 8,
  },
];

/** Seeds the demo's ids and secrets: the same webhook and event ids in every run. */
export const DEMO_ID_SEED = 0x5eed_e7a;
