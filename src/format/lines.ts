// One-line renderings of Exa objects and the "next page" hint, shared by every tool's text. Every field
// comes from upstream, so each passes through oneLine: one item stays one line.
import type { Webhook } from "../exa/schemas.js";
import { definedOnly } from "../text/objects.js";
import { oneLine } from "../text/untrusted.js";

function metadataText(metadata: Webhook["metadata"]): string | undefined {
  return metadata && Object.keys(metadata).length ? oneLine(JSON.stringify(metadata)) : undefined;
}

function eventsText(events: readonly string[]): string {
  return events.map((type) => oneLine(type)).join(", ");
}

export function webhookLine(webhook: Webhook): string {
  const metadata = metadataText(webhook.metadata);
  return `- ${oneLine(webhook.id)} · ${oneLine(webhook.status)} · ${oneLine(webhook.url)} · events: ${eventsText(webhook.events)}${metadata ? ` · metadata ${metadata}` : ""} · created ${oneLine(webhook.createdAt)}`;
}

export function webhookDetail(webhook: Webhook): string {
  const lines = [
    `Webhook ${oneLine(webhook.id)} (${oneLine(webhook.status)})`,
    `url: ${oneLine(webhook.url)}`,
    `events (${webhook.events.length}): ${eventsText(webhook.events)}`,
  ];
  const metadata = metadataText(webhook.metadata);
  if (metadata) lines.push(`metadata: ${metadata}`);
  lines.push(`created ${oneLine(webhook.createdAt)} · updated ${oneLine(webhook.updatedAt)}`);
  return lines.join("\n");
}

/** The exact call for the next page, so a model can continue without guessing. */
export function nextPageLine(
  tool: string,
  args: Record<string, unknown>,
  nextCursor: string | null | undefined,
): string {
  if (!nextCursor) return "More results exist, but Exa returned no cursor.";
  const defined = definedOnly(args);
  return `Next page: ${tool} ${JSON.stringify({ ...defined, cursor: nextCursor })}`;
}
