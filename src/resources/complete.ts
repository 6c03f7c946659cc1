// Completion (completion/complete) for the values a user types into prompts and resource templates: webhook
// ids from the account, event types from the fixed list. Suggestions only: a failure suggests nothing.

import type { ExaClient } from "../exa/client.js";

const MAX_SUGGESTED = 100;

/** Event types that start with what was typed (the list loads with the first completion). */
export async function completeEventType(typed: string): Promise<string[]> {
  const { EVENT_TYPES } = await import("../exa/event-types.js");
  const prefix = typed.trim().toLowerCase();
  return EVENT_TYPES.filter((type) => type.startsWith(prefix));
}

/** Ids of the account's webhooks that start with what was typed (the first page of 200 is enough to suggest). */
export async function completeWebhookId(
  exa: () => Promise<ExaClient>,
  typed: string,
  signal?: AbortSignal,
): Promise<string[]> {
  try {
    const page = await (await exa()).listWebhooks({ limit: 200 }, signal);
    const prefix = typed.trim();
    return page.data
      .map((webhook) => webhook.id)
      .filter((id) => id.startsWith(prefix))
      .slice(0, MAX_SUGGESTED);
  } catch {
    return [];
  }
}
