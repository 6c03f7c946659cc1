// redeliver_events' text for a model: the answer first (what would be / was sent where), then the
// headers or the failures by cause, one line per event (capped), and the next call.
import { EVENT_RETENTION_DAYS } from "../exa/retention.js";
import { oneLine, quoteUntrusted } from "../text/untrusted.js";
import { plural } from "../text/words.js";
import type { PlannedEvent, RedeliveryOutput, RedeliveryResult } from "./schema.js";
import { type SecretSource, WEBHOOK_SECRETS_VARIABLE } from "./secrets.js";
import type { FailureGroup } from "./summary.js";

const EVENT_LINES = 40;
const RESPONSE_EXCERPT = 120;

interface RenderContext {
  /** How the events were chosen: listed, or found missed by a fresh diagnosis (undelivered + never attempted). */
  source:
    | { kind: "listed"; duplicates: number }
    | {
        kind: "undelivered";
        attemptsScanned: number;
        undelivered: number;
        neverAttempted: number;
        truncated: number;
        /** Missed events left out: recovered by an earlier redelivery. */
        recovered: number;
      };
  /** Whether this run is remembered, and a store failure met on the way. */
  memory: { remembered: true; failure?: string | undefined } | { remembered: false; because: string };
  /** Sent, but their outcome could not be recorded. */
  unrecorded: readonly string[];
  /** Of the outcome-unknown events, those whose earlier POST timed out (the rest were never recorded). */
  timedOut: ReadonlySet<string>;
  /** Events listed beyond maxEvents, left out of this call. */
  overCap: number;
  readErrors: ReadonlyMap<string, string>;
  /** The call that would send this plan (dry run) or the rest (budget); never carries the secret. */
  nextArgs: Record<string, unknown>;
  /** Where the signing secret came from; "argument" means the next call needs it again (never repeated here). */
  secretFrom: SecretSource;
  failures: readonly FailureGroup[];
}

const DEDUPE_LINE =
  "Receivers should deduplicate by event id: a replay carries the original event's id (and the header Exa-Redelivery: 1), and some of these may have arrived before.";

export function renderRedelivery(output: RedeliveryOutput, context: RenderContext): string {
  const lines = output.dryRun ? dryRunLines(output, context) : sentLines(output, context);
  return lines.join("\n");
}

function headline(output: RedeliveryOutput, context: RenderContext): string {
  const line = headlineOnly(output);
  // Where it matters: the line that says what was sent says it will not be remembered.
  return !output.dryRun && !context.memory.remembered
    ? `${line} Not remembered: redeliveries are not remembered because ${context.memory.because}`
    : line;
}

function headlineOnly(output: RedeliveryOutput): string {
  const toSend = output.planned.length - output.skipped - (output.dryRun ? output.notSent.length : 0);
  const skipped = output.skipped ? `; ${output.skipped} will be skipped (expired or unreadable)` : "";
  if (output.dryRun) {
    return `Dry run, nothing sent: ${plural(toSend, "event")} of webhook ${output.webhookId} would be POSTed to ${oneLine(output.targetUrl)}${skipped}.`;
  }
  const sent = output.results?.length ?? 0;
  const skippedNow = output.skipped ? `, ${output.skipped} skipped` : "";
  return `Redelivered ${plural(sent, "event")} of webhook ${output.webhookId} to ${oneLine(output.targetUrl)}: ${output.delivered} delivered, ${output.failed} failed${skippedNow}.`;
}

function sourceLines(output: RedeliveryOutput, context: RenderContext): string[] {
  const lines: string[] = [];
  const { source } = context;
  if (source.kind === "undelivered") {
    const recovered = source.recovered
      ? `; ${plural(source.recovered, "more missed event")} already recovered by redelivery (left out)`
      : "";
    lines.push(
      output.planned.length
        ? `Chosen by a fresh diagnosis (${source.attemptsScanned} attempts scanned): ${source.undelivered} undelivered (failed attempts, none successful) and ${source.neverAttempted} never attempted (events of its types no attempt carries), each newest first${recovered}.`
        : source.recovered
          ? `Nothing outstanding: the ${plural(source.recovered, "missed event")} a fresh diagnosis found (${source.attemptsScanned} attempts scanned) ${source.recovered === 1 ? "was" : "were"} recovered by redelivery. Nothing to redeliver.`
          : `No missed events: none undelivered among ${source.attemptsScanned} attempts scanned, none of its types never attempted. Nothing to redeliver.`,
    );
    if (source.truncated)
      lines.push(
        `${source.truncated} more missed events were left out: raise maxEvents (up to 1000) or narrow with since.`,
      );
  } else if (source.duplicates) {
    lines.push(`${plural(source.duplicates, "repeated event id")} ignored: each event is sent at most once.`);
  }
  if (context.overCap) lines.push(`${plural(context.overCap, "listed event")} beyond maxEvents left out.`);
  lines.push(...ledgerLines(output, context));
  if (output.incompleteReason) lines.push(`Incomplete: ${output.incompleteReason}.`);
  const foreign = output.planned.filter((event) => event.subscribed === false);
  if (foreign.length) {
    const types = [...new Set(foreign.map((event) => event.type))];
    lines.push(
      `${plural(foreign.length, "event")} of ${types.length === 1 ? "type" : "types"} this webhook does not subscribe to (${oneLine(types.join(", "), 200)}): ${output.dryRun ? "they would be sent" : "sent"} anyway, as asked.`,
    );
  }
  return lines;
}

function secretLine(output: RedeliveryOutput, context: RenderContext): string {
  if (context.secretFrom === "none") {
    return `No signing secret for ${output.webhookId}, so nothing can be sent yet. Give it as "secret" in the call, or set ${WEBHOOK_SECRETS_VARIABLE}=${output.webhookId}=<secret> (comma-separated pairs) in the server's environment and restart. Exa shows a webhook's secret only once, when it is created.`;
  }
  if (context.secretFrom === "sandbox")
    return "Signed with the sandbox's secret for this webhook (no secret needed in --sandbox).";
  return `Signed with the secret ${context.secretFrom === "argument" ? "given in the call" : `from ${WEBHOOK_SECRETS_VARIABLE}`}.`;
}

/** What the ledger held back (delivered before, outcome unknown, not claimed), and what will not be remembered. */
function ledgerLines(output: RedeliveryOutput, context: RenderContext): string[] {
  const lines: string[] = [];
  const { memory } = context;
  if (!memory.remembered && output.dryRun) {
    lines.push(`Redeliveries are not remembered because ${memory.because} A later run cannot tell what this one sent.`);
  }
  const delivered = output.alreadyDelivered;
  if (delivered.length) {
    const newest = delivered.map((d) => d.at).sort()[delivered.length - 1];
    lines.push(
      `${plural(delivered.length, "event")} already delivered by an earlier redelivery (2xx, newest at ${newest}), so not ${output.dryRun ? "planned" : "sent"} again; force:true sends ${delivered.length === 1 ? "it" : "them"} anyway:`,
      ...capped(delivered.map((d) => `- ${oneLine(d.eventId)} · delivered at ${d.at}`)),
    );
  }
  const unknown = output.outcomeUnknown;
  if (unknown.length) {
    lines.push(
      `${plural(unknown.length, "event")} with outcome unknown: an earlier run claimed ${unknown.length === 1 ? "it" : "them"} and never recorded the answer (it was stopped mid-send), or its POST timed out after sending, so the receiver may have processed ${unknown.length === 1 ? "it" : "them"}. Not ${output.dryRun ? "planned" : "resent"}: check the receiver's logs for these ids, then force:true sends them anyway:`,
      ...capped(
        unknown.map(
          (u) =>
            `- ${oneLine(u.eventId)} · claimed at ${u.at} · ${context.timedOut.has(u.eventId) ? "timed out" : "no outcome recorded"}`,
        ),
      ),
    );
  }
  if (output.notClaimed.length) {
    lines.push(
      `The store failed during the run (${memory.remembered ? oneLine(memory.failure ?? "error", 200) : "error"}): ${plural(output.notClaimed.length, "event")} could not be claimed, so ${output.notClaimed.length === 1 ? "it was" : "they were"} not sent (ids in structuredContent.notClaimed); nothing was sent without a claim. When the store is back: redeliver_events ${JSON.stringify(
        {
          ...context.nextArgs,
          undelivered: undefined,
          since: undefined,
          eventIds: output.notClaimed.slice(0, 500),
          dryRun: false,
        },
      )}${secretAgain(context)}`,
    );
  } else if (memory.remembered && memory.failure && !context.unrecorded.length) {
    lines.push(
      `The store failed to answer a read (${oneLine(memory.failure, 200)}); each send was still claimed first.`,
    );
  }
  if (context.unrecorded.length) {
    lines.push(
      `${plural(context.unrecorded.length, "event")} sent, but the outcome could not be recorded (${memory.remembered ? oneLine(memory.failure ?? "error", 200) : "error"}): the next run reports ${context.unrecorded.length === 1 ? "it" : "them"} as outcome unknown.`,
    );
  }
  return lines;
}

function dryRunLines(output: RedeliveryOutput, context: RenderContext): string[] {
  const lines = [
    headline(output, context),
    ...sourceLines(output, context),
    secretLine(output, context),
    "Headers of each POST (body: the event's JSON exactly as Exa returns it):",
  ];
  for (const [name, value] of Object.entries(output.headers)) lines.push(`  ${name}: ${value}`);
  if (output.planned.length) {
    lines.push("Events:");
    lines.push(...capped(output.planned.map((event) => plannedLine(event, context))));
  }
  lines.push(DEDUPE_LINE);
  const sendable = output.planned.length - output.skipped;
  if (sendable > 0 && context.secretFrom !== "none") {
    lines.push(
      `To send: redeliver_events ${JSON.stringify({ ...context.nextArgs, dryRun: false })}${secretAgain(context)}`,
    );
  }
  return lines;
}

function sentLines(output: RedeliveryOutput, context: RenderContext): string[] {
  const lines = [headline(output, context), ...sourceLines(output, context)];
  if (output.notSent.length) {
    lines.push(
      `The time budget ran out after ${output.results?.length ?? 0} POSTs: ${plural(output.notSent.length, "event")} not sent (ids in structuredContent.notSent). Send them with: redeliver_events ${JSON.stringify(
        {
          ...context.nextArgs,
          undelivered: undefined,
          since: undefined,
          eventIds: output.notSent.slice(0, 500),
          dryRun: false,
        },
      )}${secretAgain(context)}`,
    );
  }
  if (context.failures.length) {
    lines.push("Failures by cause:");
    for (const group of context.failures) {
      lines.push(
        `- ${group.category} ×${group.count} (${group.statusCodes.map(statusLabel).join(", ")}): ${group.hint}`,
      );
    }
  }
  const results = [...(output.results ?? [])].sort((a, b) => Number(a.ok) - Number(b.ok));
  if (results.length) {
    lines.push("Results (failures first):");
    lines.push(...capped(results.map(resultLine)));
  }
  const skipped = output.planned.filter((event) => event.skipped !== undefined);
  if (skipped.length) {
    lines.push("Skipped:");
    lines.push(...capped(skipped.map((event) => plannedLine(event, context))));
  }
  lines.push(DEDUPE_LINE);
  return lines;
}

function secretAgain(context: RenderContext): string {
  return context.secretFrom === "argument" ? ' (with "secret" as before; it is not repeated here)' : "";
}

function plannedLine(event: PlannedEvent, context: RenderContext): string {
  if (event.skipped === "not_found") {
    return `- ${event.eventId} · not found: expired (Exa deletes events after ${EVENT_RETENTION_DAYS} days) or never existed · skipped`;
  }
  if (event.skipped === "exa_error") {
    return `- ${event.eventId} · could not be read from Exa (${context.readErrors.get(event.eventId) ?? "error"}) · skipped`;
  }
  if (event.type === null) return `- ${event.eventId} · not looked up (time budget)`;
  const note = event.expired
    ? ` · older than ${EVENT_RETENTION_DAYS} days: expired, skipped`
    : event.subscribed === false
      ? " · not a subscribed type"
      : "";
  return `- ${oneLine(event.eventId)} · ${oneLine(event.type)} · ${oneLine(event.createdAt)}${note}`;
}

function resultLine(result: RedeliveryResult): string {
  const status = result.statusCode ? `HTTP ${result.statusCode}` : "no HTTP answer";
  const outcome = result.ok ? "delivered" : `failed, ${result.category}`;
  const said = result.response
    ? ` · receiver said (untrusted): ${quoteUntrusted(result.response, RESPONSE_EXCERPT)}`
    : "";
  return `- ${result.eventId} · ${status} · ${outcome} · ${result.durationMs} ms${said}`;
}

function statusLabel(status: number): string {
  return status === 0 ? "no HTTP answer" : `HTTP ${status}`;
}

function capped(lines: string[]): string[] {
  if (lines.length <= EVENT_LINES) return lines;
  return [...lines.slice(0, EVENT_LINES), `… ${lines.length - EVENT_LINES} more in structuredContent.`];
}
