// diagnose_failures: one call that says whether webhooks deliver, why not, what it cost, and what to do.
// Input and output here; the fleet, the scan, classification and rendering live in src/diagnose/.
import { z } from "zod";
import { diagnosisReportSchema, withoutViewFields } from "../diagnose/types.js";
import { rethrowShort } from "../format/tool-error.js";
import { HEALTH_VIEW_URI } from "../resources/health-view.js";
import { defineTool } from "./define.js";
import { eventType, numberLike, sinceInput, strictInput, webhookId } from "./inputs.js";

const DEFAULT_MAX_ATTEMPTS = 10_000;
/** Every missed id is kept for the fold with the ledger; the structured lists are cut to 100 after it. */
const ALL_MISSED_IDS = 1_000_000;
const MAX_MAX_ATTEMPTS = 200_000;

export const diagnoseFailuresTool = defineTool({
  name: "diagnose_failures",
  title: "Diagnose delivery failures",
  description:
    "Are my Websets webhooks delivering, and if not why? (Search Monitors webhooks cannot be diagnosed: no attempts API.) One call: verdict, failures grouped by cause with a sample and next check, missed events (never attempted too) and their redelivery. No webhookId: all, worst first.",
  inputSchema: strictInput({
    webhookId: webhookId.optional().describe("Omit for every webhook."),
    since: sinceInput
      .optional()
      .describe('ISO timestamp or span ("30m", "24h", "7d"); default: all retained attempts.'),
    eventType: eventType.optional().describe("Only attempts of this event type."),
    maxAttempts: numberLike(
      z
        .number()
        .int("maxAttempts must be a whole number")
        .min(1, `maxAttempts must be between 1 and ${MAX_MAX_ATTEMPTS}`)
        .max(MAX_MAX_ATTEMPTS, `maxAttempts must be between 1 and ${MAX_MAX_ATTEMPTS}`),
    )
      .optional()
      .describe(`Attempts to scan per webhook (default ${DEFAULT_MAX_ATTEMPTS}, max ${MAX_MAX_ATTEMPTS}).`),
  }),
  outputSchema: diagnosisReportSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  _meta: { ui: { resourceUri: HEALTH_VIEW_URI } },
  async handler(input, context) {
    // The engine loads on the first diagnosis, not at start: tools/list needs only the schemas above.
    const {
      diagnoseFleet,
      diagnoseMemory,
      foldRedeliveries,
      parseSince,
      readLedgerViews,
      renderDiagnosis,
      toStructuredReport,
    } = await import("../diagnose/index.js");
    const now = new Date();
    const since = input.since === undefined ? undefined : parseSince(input.since, now);
    const exa = context.exa();
    const report = await diagnoseFleet({
      memory: await diagnoseMemory(context),
      sources: {
        getWebhook: (id, signal) => exa.getWebhook(id, signal),
        listWebhooks: (query, signal) => exa.listWebhooks(query, signal),
        attempts: (query, signal) => exa.listAttempts(query.webhookId, query, signal).catch(rethrowShort),
        events: (query, signal) => exa.listEvents(query, signal).catch(rethrowShort),
      },
      ...(input.webhookId ? { webhookId: input.webhookId } : {}),
      ...(since ? { since } : {}),
      ...(input.eventType ? { eventType: input.eventType } : {}),
      maxAttempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      missedIdsLimit: ALL_MISSED_IDS,
      concurrency: context.config.maxConcurrency,
      budgetMs: context.config.diagnoseBudgetMs,
      senderIsLocal: context.config.sandbox,
      retrySchedule: context.sandbox?.retrySchedule,
      signal: context.signal,
      now,
      exaNow: () => exa.exaNow(),
      onProgress: (scanned, message) => void context.progress(scanned, undefined, message),
      log: (message) => context.log("info", message),
    });
    // What redelivery recovered since: the store opens only when some webhook missed events.
    const views = await readLedgerViews(report.webhooks, context.memory);
    report.webhooks = report.webhooks.map((d) => foldRedeliveries(d, views.get(d.webhookId)));
    const text = report.webhooks.length
      ? renderDiagnosis(report)
      : "No webhooks on this account, so nothing is delivered. Create one with create_webhook {url, events}.";
    const structured = toStructuredReport(report);
    return { text, structured: context.showsViews ? structured : withoutViewFields(structured) };
  },
});
