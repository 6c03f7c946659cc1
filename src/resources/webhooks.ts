// exa-webhooks://webhooks and exa-webhooks://webhooks/{webhookId}: the webhook list, and one webhook with a
// summary of its recent delivery attempts, as markdown a model can read in one go. Loaded on the first read.
import type { ExaClient } from "../exa/client.js";
import type { WebhookAttempt } from "../exa/schemas.js";
import { webhookDetail, webhookLine } from "../format/lines.js";
import { oneLine, quoteUntrusted } from "../text/untrusted.js";

const MAX_LISTED = 200;
const RECENT_ATTEMPTS = 100;

export async function renderWebhookList(exa: ExaClient, signal: AbortSignal): Promise<string> {
  const page = await exa.listWebhooks({ limit: MAX_LISTED }, signal);
  if (!page.data.length) return "No webhooks. Create one with the create_webhook tool.";
  const more = page.hasMore ? `\nOnly the newest ${MAX_LISTED} are shown; page with list_webhooks for the rest.` : "";
  return `# Exa webhooks (${page.data.length})\n${page.data.map(webhookLine).join("\n")}${more}`;
}

export async function renderWebhookResource(exa: ExaClient, webhookId: string, signal: AbortSignal): Promise<string> {
  const webhook = await exa.getWebhook(webhookId, signal);
  const attempts = await exa.listAttempts(webhookId, { limit: RECENT_ATTEMPTS }, signal);
  return `${webhookDetail(webhook)}\n\n${summarizeRecentAttempts(webhookId, attempts.data)}`;
}

function summarizeRecentAttempts(webhookId: string, attempts: WebhookAttempt[]): string {
  if (!attempts.length) return "No delivery attempts recorded yet.";
  const failed = attempts.filter((attempt) => !attempt.successful);
  const lastSuccess = attempts.find((attempt) => attempt.successful);
  const lastFailure = failed[0];
  const statuses = new Map<number, number>();
  for (const attempt of failed) {
    const status = attempt.responseStatusCode ?? 0;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  const lines = [
    `Recent attempts (newest ${attempts.length}): ${attempts.length - failed.length} ok, ${failed.length} failed.`,
    `Last success: ${oneLine(lastSuccess?.attemptedAt) || "none in this window"}. Last failure: ${oneLine(lastFailure?.attemptedAt) || "none"}.`,
  ];
  if (failed.length) {
    const byStatus = [...statuses.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([status, count]) => `${status === 0 ? "no response" : `HTTP ${status}`} ×${count}`);
    lines.push(`Failures by status: ${byStatus.join(", ")}.`);
    if (lastFailure?.responseBody) {
      lines.push(`Latest failure, receiver said (untrusted): ${quoteUntrusted(lastFailure.responseBody, 200)}`);
    }
    lines.push(`For causes and fixes: diagnose_failures ${JSON.stringify({ webhookId })}`);
  }
  return lines.join("\n");
}
