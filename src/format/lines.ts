// One-line renderings of Exa objects and the "next page" hint, shared by every tool's text.
import type { Webhook } from "../exa/schemas.js";

export function webhookLine(webhook: Webhook): string {
  const metadata =
    webhook.metadata && Object.keys(webhook.metadata).length ? ` · metadata ${JSON.stringify(webhook.metadata)}` : "";
  return `- ${webhook.id} · ${webhook.status} · ${webhook.url} · events: ${webhook.events.join(", ")}${metadata} · created ${webhook.createdAt}`;
}

export function webhookDetail(webhook: Webhook): string {
  const lines = [
    `Webhook ${webhook.id} (${webhook.status})`,
    `url: ${webhook.url}`,
    `events (${webhook.events.length}): ${webhook.events.join(", ")}`,
  ];
  if (webhook.metadata && Object.keys(webhook.metadata).length)
    lines.push(`metadata: ${JSON.stringify(webhook.metadata)}`);
  lines.push(`created ${webhook.createdAt} · updated ${webhook.updatedAt}`);
  return lines.join("\n");
}

/** The exact call for the next page, so a model can continue without guessing. */
export function nextPageLine(
  tool: string,
  args: Record<string, unknown>,
  nextCursor: string | null | undefined,
): string {
  if (!nextCursor) return "More results exist, but Exa returned no cursor.";
  const defined = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));
  return `Next page: ${tool} ${JSON.stringify({ ...defined, cursor: nextCursor })}`;
}
