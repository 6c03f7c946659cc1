// The 19 Exa Websets event types (the only valid set), with what each means for a model.
export const EVENT_TYPES = [
  "webset.created",
  "webset.deleted",
  "webset.paused",
  "webset.idle",
  "webset.search.created",
  "webset.search.canceled",
  "webset.search.completed",
  "webset.search.updated",
  "import.created",
  "import.completed",
  "webset.item.created",
  "webset.item.enriched",
  "monitor.created",
  "monitor.updated",
  "monitor.deleted",
  "monitor.run.created",
  "monitor.run.completed",
  "webset.export.created",
  "webset.export.completed",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** The resource an event's `data` carries, by type (export events have no published payload schema). */
export type EventResource = "Webset" | "WebsetItem" | "WebsetSearch" | "Import" | "Monitor" | "MonitorRun" | "none";

export interface EventTypeInfo {
  type: EventType;
  resource: EventResource;
  meaning: string;
}

export const EVENT_TYPE_INFO: readonly EventTypeInfo[] = [
  { type: "webset.created", resource: "Webset", meaning: "A webset was created." },
  { type: "webset.deleted", resource: "Webset", meaning: "A webset was deleted." },
  { type: "webset.paused", resource: "Webset", meaning: "A webset's searches and enrichments were paused." },
  { type: "webset.idle", resource: "Webset", meaning: "A webset finished all running searches and enrichments." },
  { type: "webset.search.created", resource: "WebsetSearch", meaning: "A search started on a webset." },
  { type: "webset.search.canceled", resource: "WebsetSearch", meaning: "A search was canceled." },
  { type: "webset.search.completed", resource: "WebsetSearch", meaning: "A search finished finding items." },
  { type: "webset.search.updated", resource: "WebsetSearch", meaning: "A search made progress (counts changed)." },
  { type: "import.created", resource: "Import", meaning: "An import (CSV or list of items) was created." },
  { type: "import.completed", resource: "Import", meaning: "An import finished loading its items." },
  { type: "webset.item.created", resource: "WebsetItem", meaning: "A new item was added to a webset." },
  { type: "webset.item.enriched", resource: "WebsetItem", meaning: "An item received enrichment results." },
  { type: "monitor.created", resource: "Monitor", meaning: "A monitor (scheduled search) was created." },
  { type: "monitor.updated", resource: "Monitor", meaning: "A monitor's settings changed." },
  { type: "monitor.deleted", resource: "Monitor", meaning: "A monitor was deleted." },
  { type: "monitor.run.created", resource: "MonitorRun", meaning: "A monitor run started." },
  { type: "monitor.run.completed", resource: "MonitorRun", meaning: "A monitor run finished." },
  { type: "webset.export.created", resource: "none", meaning: "An export of a webset was requested." },
  { type: "webset.export.completed", resource: "none", meaning: "An export finished and is ready to download." },
];

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);

export function isEventType(value: unknown): value is EventType {
  return typeof value === "string" && EVENT_TYPE_SET.has(value);
}

/**
 * Wrong names seen in the wild and what they meant. Exa's own samples use `webset.completed` and
 * `enrichment.completed`; `import.processing` was removed in Aug 2025. Spelling distance alone would suggest
 * `webset.deleted` for `webset.completed`, which is the opposite of helpful.
 */
const KNOWN_MISTAKES: Readonly<Record<string, EventType>> = {
  "webset.completed": "webset.idle",
  "webset.finished": "webset.idle",
  "enrichment.completed": "webset.item.enriched",
  "webset.enrichment.completed": "webset.item.enriched",
  "item.created": "webset.item.created",
  "item.enriched": "webset.item.enriched",
  "import.processing": "import.created",
  "search.completed": "webset.search.completed",
};

/**
 * Names longer than this get no suggestion: the longest valid type has 23 characters, so a longer name is no
 * typo of one, and edit distance costs its length times 23 for each of the 19 types.
 */
const SUGGEST_MAX_CHARS = 40;

/** The valid type a wrong one most likely meant: a known mistake, else the closest by edit distance. */
export function closestEventType(wrong: string): EventType | undefined {
  if (wrong.length > SUGGEST_MAX_CHARS) return undefined;
  const normalized = wrong.trim().toLowerCase();
  // An own-key check: "constructor" must not find Object's.
  if (Object.hasOwn(KNOWN_MISTAKES, normalized)) return KNOWN_MISTAKES[normalized];
  let best: EventType | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const type of EVENT_TYPES) {
    const distance = editDistance(wrong.toLowerCase(), type);
    if (distance < bestDistance) {
      best = type;
      bestDistance = distance;
    }
  }
  // A suggestion farther than half the word is noise, not help.
  return best && bestDistance <= Math.max(3, Math.floor(wrong.length / 2)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}
