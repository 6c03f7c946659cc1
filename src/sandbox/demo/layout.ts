// The demo account: which webhooks exist, what each subscribes to, which local receiver it points at,
// and when it was created. Together they produce every failure category and every verdict.
import type { EventType } from "../../exa/event-types.js";

export type DemoReceiverKind =
  | "healthy"
  | "flaky"
  | "crashing"
  | "missingRoute"
  | "wrongSecret"
  | "slow"
  | "redirect"
  | "closedPort";

export interface DemoWebhookPlan {
  receiver: DemoReceiverKind;
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
    receiver: "missingRoute",
    name: "slack-alerts",
    events: ["webset.idle", "webset.search.completed", "monitor.run.completed"],
    createdHoursAgo: 72,
  },
  {
    receiver: "wrongSecret",
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
    receiver: "closedPort",
    name: "local-dev-tunnel",
    events: ["webset.created", "webset.search.completed", "webset.idle"],
    createdHoursAgo: 72,
    inactiveSinceHoursAgo: 40,
  },
  { receiver: "healthy", name: "export-archiver", events: ["webset.export.completed"], createdHoursAgo: 8 },
];

/** The healthy receiver's proxy fails 1 request in this many: a few recovered events, still "healthy". */
export const HEALTHY_BLIP_EVERY = 40;
/** The flaky receiver fails 1 in this many: recovered events often enough to read "degraded". */
export const FLAKY_EVERY = 5;
