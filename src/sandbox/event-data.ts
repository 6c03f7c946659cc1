// Realistic `data` payloads for sandbox events: the resource each event type carries (Webset, WebsetItem,
// WebsetSearch, Import, Monitor, MonitorRun) in the shape of Exa's OpenAPI objects, with every field the
// schemas mark required (test/sandbox/payload-schemas.test.ts checks them against exa-js's types) and no
// field they lack. Related ids can be passed in so a seeded story hangs together.
import { EVENT_TYPE_INFO, type EventType } from "../exa/event-types.js";
import { type IdSource, randomIds } from "./ids.js";

/** Ids that tie an event to the webset / search / monitor it happened in; fresh ones when absent. */
export interface ResourceRefs {
  websetId?: string;
  searchId?: string;
  monitorId?: string;
  /** Index into the sample companies, so items differ from one event to the next. */
  itemIndex?: number;
}

const SAMPLE_QUERY = "Series A climate-tech startups in Europe with a hardware product";

const SAMPLE_COMPANIES: readonly [name: string, domain: string, location: string][] = [
  ["Voltaro Energy", "voltaro.energy", "Berlin, Germany"],
  ["Nordhavn Thermal", "nordhavnthermal.dk", "Copenhagen, Denmark"],
  ["Cirrus Grid", "cirrusgrid.io", "Amsterdam, Netherlands"],
  ["Helia Storage", "heliastorage.com", "Lyon, France"],
  ["Tidewell Systems", "tidewell.co.uk", "Bristol, United Kingdom"],
  ["Kestrel Carbon", "kestrelcarbon.com", "Oslo, Norway"],
  ["Ampere Loop", "ampereloop.eu", "Munich, Germany"],
  ["Solenne Labs", "solennelabs.fr", "Grenoble, France"],
];

// The status each event type implies for its resource (Exa's enums).
const STATUS_BY_TYPE: Partial<Record<EventType, string>> = {
  "webset.created": "running",
  "webset.deleted": "idle",
  "webset.paused": "paused",
  "webset.idle": "idle",
  "webset.search.created": "created",
  "webset.search.updated": "running",
  "webset.search.completed": "completed",
  "webset.search.canceled": "canceled",
  "import.created": "pending",
  "import.completed": "completed",
  "monitor.created": "enabled",
  "monitor.updated": "enabled",
  "monitor.deleted": "disabled",
  "monitor.run.created": "running",
  "monitor.run.completed": "completed",
  "webset.export.created": "pending",
  "webset.export.completed": "completed",
};

/** The fields every Websets resource in a payload carries. */
function resourceBase(object: string, id: string, status: string, iso: string) {
  return { id, object, status, createdAt: iso, updatedAt: iso };
}

export function eventData(
  type: EventType,
  at: number,
  ids: IdSource = randomIds,
  refs: ResourceRefs = {},
): Record<string, unknown> {
  const iso = new Date(at).toISOString();
  const websetId = refs.websetId ?? ids.resourceId("webset");
  const status = STATUS_BY_TYPE[type] ?? "completed";
  const resource = EVENT_TYPE_INFO.find((info) => info.type === type)?.resource ?? "none";
  switch (resource) {
    case "Webset":
      return webset(websetId, status, iso);
    case "WebsetItem":
      return websetItem(type, websetId, refs, iso, ids);
    case "WebsetSearch":
      return websetSearch(refs.searchId ?? ids.resourceId("webset_search"), websetId, status, iso);
    case "Import":
      return {
        ...resourceBase("import", ids.resourceId("import"), status, iso),
        format: "csv",
        entity: { type: "company" },
        title: "Q3 target accounts.csv",
        count: 250,
        metadata: {},
        failedReason: null,
        failedAt: null,
        failedMessage: null,
      };
    case "Monitor":
      return monitor(refs.monitorId ?? ids.resourceId("monitor"), websetId, status, iso);
    case "MonitorRun":
      return {
        ...resourceBase("monitor_run", ids.resourceId("monitor_run"), status, iso),
        monitorId: refs.monitorId ?? ids.resourceId("monitor"),
        type: "search",
        completedAt: status === "completed" ? iso : null,
        failedAt: null,
        failedReason: null,
        canceledAt: null,
      };
    default:
      // Export events have no published payload schema; this is a plausible minimum.
      return { id: ids.resourceId("export"), object: "webset_export", status, websetId, format: "csv", createdAt: iso };
  }
}

function webset(id: string, status: string, iso: string): Record<string, unknown> {
  return {
    id,
    object: "webset",
    status,
    dashboardUrl: `https://websets.exa.ai/websets/${id}`,
    externalId: null,
    title: "Climate-tech hardware startups (EU)",
    searches: [],
    imports: [],
    enrichments: [],
    monitors: [],
    metadata: {},
    createdAt: iso,
    updatedAt: iso,
  };
}

function websetSearch(id: string, websetId: string, status: string, iso: string): Record<string, unknown> {
  const done = status === "completed";
  return {
    id,
    object: "webset_search",
    status,
    websetId,
    query: SAMPLE_QUERY,
    entity: { type: "company" },
    criteria: [
      { description: "Raised a Series A round", successRate: 62 },
      { description: "Headquartered in Europe", successRate: 88 },
    ],
    count: 50,
    // Required by the schema: nothing excluded, the whole web in scope, no recall estimate asked for.
    exclude: [],
    scope: [],
    recall: null,
    maxPeoplePerCompany: null,
    behavior: "override",
    progress: {
      found: done ? 50 : 17,
      analyzed: done ? 214 : 71,
      completion: done ? 100 : 34,
      timeLeft: done ? 0 : 95,
    },
    metadata: {},
    canceledAt: status === "canceled" ? iso : null,
    canceledReason: status === "canceled" ? "webset_canceled" : null,
    createdAt: iso,
    updatedAt: iso,
  };
}

function websetItem(
  type: EventType,
  websetId: string,
  refs: ResourceRefs,
  iso: string,
  ids: IdSource,
): Record<string, unknown> {
  const index = (refs.itemIndex ?? Math.floor(Math.random() * SAMPLE_COMPANIES.length)) % SAMPLE_COMPANIES.length;
  const [name, domain, location] = SAMPLE_COMPANIES[index] as (typeof SAMPLE_COMPANIES)[number];
  const enrichments =
    type === "webset.item.enriched"
      ? [
          {
            object: "enrichment_result",
            status: "completed",
            format: "text",
            result: [`${name} raised a EUR 12M Series A in 2025.`],
            reasoning: "Found in the company's press page and a Sifted article.",
            references: [{ title: `${name} news`, snippet: null, url: `https://${domain}/press` }],
            enrichmentId: ids.resourceId("webset_enrichment"),
          },
        ]
      : [];
  return {
    id: ids.resourceId("witem"),
    object: "webset_item",
    source: "search",
    sourceId: refs.searchId ?? ids.resourceId("webset_search"),
    websetId,
    properties: {
      type: "company",
      url: `https://${domain}`,
      description: `${name} builds grid-scale storage hardware.`,
      content: `${name} designs and manufactures grid-scale battery storage for utilities across Europe.`,
      company: { name, location, employees: 40 + index * 7, industry: "Energy", about: null, logoUrl: null },
    },
    evaluations: [
      {
        criterion: "Raised a Series A round",
        reasoning: "Press release confirms it.",
        satisfied: "yes",
        references: [],
      },
    ],
    enrichments,
    createdAt: iso,
    updatedAt: iso,
  };
}

function monitor(id: string, websetId: string, status: string, iso: string): Record<string, unknown> {
  return {
    id,
    object: "monitor",
    status,
    websetId,
    cadence: { cron: "0 9 * * 1", timezone: "Europe/Berlin" },
    behavior: { type: "search", config: { query: SAMPLE_QUERY, count: 10, behavior: "append" } },
    lastRun: null,
    nextRunAt: iso,
    metadata: {},
    createdAt: iso,
    updatedAt: iso,
  };
}
