// exa-webhooks://event-types — the 19 event types, what each means and which resource its data carries.
// Loaded on the first read (src/resources/index.ts holds the URIs).
import { EVENT_TYPE_INFO } from "../exa/event-types.js";

export function renderEventTypes(): string {
  const rows = EVENT_TYPE_INFO.map(
    (info) =>
      `| ${info.type} | ${info.meaning} | ${info.resource === "none" ? "(no published schema)" : info.resource} |`,
  );
  return [
    "# Exa Websets event types",
    "The 19 valid values for a webhook's `events` and for event filters. Names like `webset.completed` or `enrichment.completed` (seen in some samples) are not valid.",
    "",
    "| type | meaning | `data` carries |",
    "|---|---|---|",
    ...rows,
    "",
    'Every delivery POSTs the Event JSON `{id, object: "event", type, data, createdAt}` with an `Exa-Signature: t=<unix seconds>,v1=<hex>` header.',
  ].join("\n");
}

/** One event type's entry, or undefined when the name is not one of the 19. */
export function renderEventType(type: string): string | undefined {
  const info = EVENT_TYPE_INFO.find((candidate) => candidate.type === type);
  if (!info) return undefined;
  const carries = info.resource === "none" ? "no published payload schema" : `a ${info.resource} object`;
  return [
    `# ${info.type}`,
    info.meaning,
    `Its \`data\` carries ${carries}.`,
    `Subscribe: create_webhook {"url": "<https URL>", "events": ["${info.type}"]}. Its attempts: list_webhook_attempts {"webhookId": "<id>", "eventType": "${info.type}"}.`,
  ].join("\n");
}
