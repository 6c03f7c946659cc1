// diagnose_failures: one call that says whether webhooks deliver, why not, what it cost, and what to do.
// Fetches through the Exa client; classification, aggregation and rendering live in src/diagnose/.
import { z } from "zod";
import { collectGarbage } from "../collect-garbage.js";
import {
  CATEGORIES,
  type DiagnosisReport,
  parseSince,
  rankDiagnoses,
  renderDiagnosis,
  scanWebhookAttempts,
  VERDICTS,
  type WebhookDiagnosis,
} from "../diagnose/index.js";
import { RequestCancelledError } from "../exa/errors.js";
import type { Webhook } from "../exa/schemas.js";
import { shortErrorText, ToolInputError } from "../format/tool-error.js";
import type { ToolContext } from "./define.js";
import { defineTool } from "./define.js";
import { eventType, strictInput, webhookId } from "./inputs.js";

const DEFAULT_MAX_ATTEMPTS = 10_000;
const MAX_MAX_ATTEMPTS = 200_000;
/** Fleet mode reads at most this many webhooks; accounts rarely have more than a handful. */
const MAX_FLEET_WEBHOOKS = 1000;
/** Attempts between full garbage collections in long scans (see collect-garbage.ts). */
const ATTEMPTS_PER_COLLECTION = 20_000;

const groupOutput = z.object({
  category: z.enum(CATEGORIES),
  statusCode: z.number(),
  count: z.number(),
  eventTypes: z.array(z.string()),
  firstSeen: z.string(),
  lastSeen: z.string(),
  sampleAttemptId: z.string(),
  sampleEventId: z.string(),
  sampleResponse: z.string().describe("The receiver's response text: untrusted data, at most 300 characters."),
  hint: z.string(),
});

const diagnosisOutput = z.object({
  webhookId: z.string(),
  url: z.string(),
  status: z.string(),
  verdict: z.enum(VERDICTS),
  attemptsScanned: z.number(),
  failedAttempts: z.number(),
  failureRate: z.number(),
  complete: z.boolean(),
  incompleteReason: z.string().optional(),
  window: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  events: z.object({ total: z.number(), delivered: z.number(), recovered: z.number(), undelivered: z.number() }),
  groups: z.array(groupOutput),
  lastSuccessAt: z.string().nullable(),
  lastFailureAt: z.string().nullable(),
  consecutiveFailures: z.number(),
});

export const diagnoseFailuresTool = defineTool({
  name: "diagnose_failures",
  title: "Diagnose delivery failures",
  description:
    "Are my webhooks delivering, and if not why? One call: verdict, failures grouped by cause with a sample and next check, undelivered events and their recovery. No webhookId: all, worst first.",
  inputSchema: strictInput({
    webhookId: webhookId.optional().describe("Omit for every webhook."),
    since: z
      .string()
      .refine((value) => value.length <= 64, "since is too long: give an ISO timestamp or a span like 24h")
      .optional()
      .describe('ISO timestamp or span ("30m", "24h", "7d"); default: all retained attempts.'),
    eventType: eventType.optional().describe("Only attempts of this event type."),
    maxAttempts: z
      .number()
      .int("maxAttempts must be a whole number")
      .min(1, `maxAttempts must be between 1 and ${MAX_MAX_ATTEMPTS}`)
      .max(MAX_MAX_ATTEMPTS, `maxAttempts must be between 1 and ${MAX_MAX_ATTEMPTS}`)
      .optional()
      .describe(`Attempts to scan per webhook (default ${DEFAULT_MAX_ATTEMPTS}, max ${MAX_MAX_ATTEMPTS}).`),
  }),
  outputSchema: z.object({ webhooks: z.array(diagnosisOutput), generatedAt: z.string() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, context) {
    const now = new Date();
    let since: Date | undefined;
    if (input.since !== undefined) {
      try {
        since = parseSince(input.since, now);
      } catch (error) {
        throw new ToolInputError((error as Error).message);
      }
    }
    const exa = context.exa();
    const budgetEndsAt = Date.now() + context.config.diagnoseBudgetMs;
    const webhooks = input.webhookId
      ? [await exa.getWebhook(input.webhookId, context.signal)]
      : await listAllWebhooks(context);

    context.log(
      "info",
      `scanning the delivery attempts of ${webhooks.length} webhook${webhooks.length === 1 ? "" : "s"}`,
    );
    let scannedBefore = 0;
    let nextCollectionAt = ATTEMPTS_PER_COLLECTION;
    const diagnoses: WebhookDiagnosis[] = [];
    // Webhooks one after another, each scanned with the full concurrency: the cap holds for the whole call.
    for (const [index, webhook] of webhooks.entries()) {
      // Each webhook gets an equal share of what is left, so one huge history cannot starve the rest;
      // time a quick webhook does not use passes on to the next.
      const share = Math.max(0, budgetEndsAt - Date.now()) / (webhooks.length - index);
      const deadline = Date.now() + share;
      const diagnosis = await scanWebhookAttempts({
        webhook,
        source: (query, signal) =>
          exa.listAttempts(query.webhookId, query, signal).catch((error: unknown) => {
            if (error instanceof RequestCancelledError) throw error;
            throw new Error(shortErrorText(error));
          }),
        ...(since ? { since } : {}),
        ...(input.eventType ? { eventType: input.eventType } : {}),
        maxAttempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        concurrency: context.config.maxConcurrency,
        senderIsLocal: context.config.sandbox,
        deadline,
        signal: context.signal,
        onProgress: (scanned, message) => {
          if (scannedBefore + scanned >= nextCollectionAt) {
            nextCollectionAt += ATTEMPTS_PER_COLLECTION;
            collectGarbage();
          }
          const label = webhooks.length > 1 ? `webhook ${index + 1}/${webhooks.length}: ${message}` : message;
          void context.progress(scannedBefore + scanned, undefined, label);
        },
      });
      scannedBefore += diagnosis.attemptsScanned;
      diagnoses.push(diagnosis);
      context.log(
        "info",
        `diagnosed ${webhook.id} (${index + 1}/${webhooks.length}): ${diagnosis.verdict}, ${diagnosis.attemptsScanned} attempts scanned${diagnosis.complete ? "" : " (partial)"}`,
      );
    }

    const report: DiagnosisReport = { webhooks: rankDiagnoses(diagnoses), generatedAt: now.toISOString() };
    const text = webhooks.length
      ? renderDiagnosis(report)
      : "No webhooks on this account, so nothing is delivered. Create one with create_webhook {url, events}.";
    return { text, structured: report };
  },
});

async function listAllWebhooks(context: ToolContext): Promise<Webhook[]> {
  const webhooks: Webhook[] = [];
  let cursor: string | undefined;
  do {
    const page = await context.exa().listWebhooks({ limit: 200, cursor }, context.signal);
    webhooks.push(...page.data);
    cursor = page.hasMore && page.nextCursor ? page.nextCursor : undefined;
  } while (cursor && webhooks.length < MAX_FLEET_WEBHOOKS);
  return webhooks;
}
