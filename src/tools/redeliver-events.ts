// redeliver_events: replays missed events to the webhook's receiver, signed with its secret like Exa signs
// them. A dry run (the default) shows the plan; the work lives in src/redeliver/ and loads on first use.
import { z } from "zod";
import { parseSince } from "../diagnose/since.js";
import { isValidId } from "../exa/ids.js";
import { rethrowShort, ToolInputError } from "../format/tool-error.js";
import type { SecretSource } from "../redeliver/render.js";
import { redeliveryOutput } from "../redeliver/schema.js";
import { WEBHOOK_SECRETS_VARIABLE } from "../redeliver/secrets.js";
import { defineTool } from "./define.js";
import { booleanLike, numberLike, sinceInput, strictInput, webhookId } from "./inputs.js";

const MAX_LISTED = 500;
const MAX_EVENTS = 1000;
const DEFAULT_MAX_EVENTS = 100;

const maxEvents = numberLike(
  z
    .number()
    .int("maxEvents must be a whole number")
    .min(1, `maxEvents must be between 1 and ${MAX_EVENTS}`)
    .max(MAX_EVENTS, `maxEvents must be between 1 and ${MAX_EVENTS}`),
);

export const redeliverEventsTool = defineTool({
  name: "redeliver_events",
  title: "Redeliver missed events",
  description:
    "Replay missed Websets events to the webhook's receiver, signed like Exa (which has no redeliver): eventIds or undelivered:true. Default dry run shows the plan; dryRun:false sends.",
  inputSchema: strictInput({
    webhookId,
    // Bounds as refinements and ids without their shared description: fewer tools/list bytes.
    eventIds: z
      .array(z.string().refine(isValidId, "eventIds must be Exa event ids, as returned by list_events"))
      .refine((ids) => ids.length >= 1 && ids.length <= MAX_LISTED, `eventIds needs 1 to ${MAX_LISTED} ids`)
      .optional()
      .describe(`1-${MAX_LISTED} ids.`),
    undelivered: booleanLike.optional().describe("true: what a fresh diagnosis finds missed."),
    since: sinceInput.optional().describe("With undelivered: ISO time or span (24h)."),
    targetUrl: z
      .string()
      .refine((value) => value.length <= 2048, "targetUrl is too long (2048 characters at most)")
      .optional()
      .describe("Default: the webhook's URL; else its origin or loopback only."),
    secret: z.string().min(1, "secret must not be empty").optional().describe(`Unless in ${WEBHOOK_SECRETS_VARIABLE}.`),
    dryRun: booleanLike.optional().describe("Default true."),
    maxEvents: maxEvents.optional().describe(`Default ${DEFAULT_MAX_EVENTS}.`),
  }),
  outputSchema: redeliveryOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(input, context) {
    const listed = input.eventIds !== undefined;
    if (listed === (input.undelivered === true)) {
      throw new ToolInputError(
        listed
          ? "give either eventIds or undelivered:true, not both."
          : 'say which events: eventIds ["event_..."] (from list_events or diagnose_failures), or undelivered:true for the undelivered events of a fresh diagnosis.',
      );
    }
    if (input.since !== undefined && listed)
      throw new ToolInputError("since applies to undelivered:true only; drop it with eventIds.");
    const since = input.since === undefined ? undefined : parseSince(input.since, new Date());
    const dryRun = input.dryRun ?? true;
    const started = Date.now();
    const deadline = started + context.config.diagnoseBudgetMs;
    const exa = context.exa();
    const webhook = await exa.getWebhook(input.webhookId, context.signal);

    const redeliver = await import("../redeliver/index.js");
    let target: { url: string };
    try {
      target = redeliver.resolveRedeliveryTarget({
        webhookId: webhook.id,
        webhookUrl: webhook.url,
        targetUrl: input.targetUrl,
        sandbox: context.config.sandbox,
        remoteCallers: context.config.remoteCallers,
      });
    } catch (error) {
      if (error instanceof redeliver.TargetRefusedError) throw new ToolInputError(`${error.message} Nothing was sent.`);
      throw error;
    }
    // On top, the sandbox's own guard: served to other machines, it sends only to its demo receivers.
    const sandboxRefusal = context.sandbox?.deliveryRefusal(target.url);
    if (sandboxRefusal) throw new ToolInputError(`${sandboxRefusal} Nothing was sent.`);

    const argumentSecret = input.secret;
    const configuredSecret = context.config.webhookSecrets.get(webhook.id);
    // --sandbox knows the secret of each of its webhooks: the demo story needs no secret argument.
    const sandboxSecret =
      argumentSecret === undefined && configuredSecret === undefined
        ? await context.sandbox?.webhookSecret(webhook.id)
        : undefined;
    const secret = argumentSecret ?? configuredSecret ?? sandboxSecret;
    if (secret) context.hideSecret(secret);
    const secretFrom: SecretSource = argumentSecret
      ? "argument"
      : configuredSecret
        ? WEBHOOK_SECRETS_VARIABLE
        : sandboxSecret
          ? "sandbox"
          : "none";
    if (!dryRun && !secret) {
      throw new ToolInputError(
        `no signing secret for webhook ${webhook.id}, so nothing was sent: a receiver checking Exa-Signature would reject unsigned events. Pass "secret", or set ${WEBHOOK_SECRETS_VARIABLE}=${webhook.id}=<secret> in the server's environment and restart.`,
      );
    }

    // Progress counts on across both phases: the sending phase starts where the search for events ended.
    let scanned = 0;

    let eventIds: string[];
    let duplicates = 0;
    let overCap = 0;
    let discovery:
      | { attemptsScanned: number; undelivered: number; neverAttempted: number; truncated: number; gap?: string }
      | undefined;
    if (input.eventIds) {
      eventIds = [...new Set(input.eventIds)];
      duplicates = input.eventIds.length - eventIds.length;
      const cap = input.maxEvents ?? eventIds.length;
      overCap = Math.max(0, eventIds.length - cap);
      eventIds = eventIds.slice(0, cap);
    } else {
      context.log("info", `looking for missed events of ${webhook.id}`);
      // Half the budget at most for finding the events: the rest is for reading and sending them.
      const missed = await redeliver.findMissedEvents({
        webhook,
        source: (query, signal) => exa.listAttempts(query.webhookId, query, signal).catch(rethrowShort),
        events: (query, signal) => exa.listEvents(query, signal).catch(rethrowShort),
        since,
        maxEvents: input.maxEvents ?? DEFAULT_MAX_EVENTS,
        concurrency: context.config.maxConcurrency,
        deadline: started + context.config.diagnoseBudgetMs / 2,
        signal: context.signal,
        onProgress: (count, message) => {
          scanned = Math.max(scanned, count);
          void context.progress(count, undefined, message);
        },
      });
      eventIds = missed.eventIds;
      discovery = {
        attemptsScanned: missed.attemptsScanned,
        undelivered: missed.undelivered,
        neverAttempted: missed.neverAttempted,
        truncated: missed.truncated,
        ...(missed.reason ? { gap: `the search for missed events was cut short (${missed.reason})` } : {}),
      };
    }

    context.log(
      "info",
      `${dryRun ? "planning" : "redelivering"} ${eventIds.length} events of ${webhook.id} to ${target.url}`,
    );
    const run = await redeliver.runRedelivery({
      webhook,
      eventIds,
      targetUrl: target.url,
      secret,
      dryRun,
      concurrency: context.config.maxConcurrency,
      deadline,
      signal: context.signal,
      fetchEvent: (id, signal) => exa.getEventWithBody(id, signal),
      onProgress: (done, total) =>
        void context.progress(
          scanned + done,
          scanned + total,
          `${dryRun ? "Looked up" : "Redelivered"} ${done} of ${total} events`,
        ),
    });

    const structured = redeliver.summarizeRedelivery({
      webhookId: webhook.id,
      targetUrl: target.url,
      dryRun,
      run,
      discoveryGap: discovery?.gap,
    });
    const nextArgs: Record<string, unknown> = {
      webhookId: webhook.id,
      ...(input.eventIds ? { eventIds } : { undelivered: true }),
      ...(input.since ? { since: input.since } : {}),
      ...(input.targetUrl ? { targetUrl: input.targetUrl } : {}),
      ...(input.maxEvents ? { maxEvents: input.maxEvents } : {}),
    };
    const text = redeliver.renderRedelivery(structured, {
      source: discovery ? { kind: "undelivered", ...discovery } : { kind: "listed", duplicates },
      overCap,
      readErrors: run.readErrors,
      nextArgs,
      secretFrom,
      failures: redeliver.groupFailures(run.results, target.url),
    });
    return { text, structured };
  },
});
