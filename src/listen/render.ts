// A listener's reports as terminal lines: a banner then `-->` / `<--` per event for people (compact), one
// JSON object per line for programs (json, the default when stdout is not a TTY), or only errors (quiet).
// Ids and types come from Exa and reasons from the receiver: they pass through the untrusted-text cleaner.
import { EVENT_TYPES } from "../exa/event-types.js";
import { EVENT_RETENTION_DAYS } from "../exa/retention.js";
import { oneLine } from "../text/untrusted.js";
import type { ListenBanner, ListenReport } from "./report.js";

export type ListenOutput = "compact" | "json" | "quiet";

export const LISTEN_OUTPUTS: readonly ListenOutput[] = ["compact", "json", "quiet"];

export interface RenderedLine {
  stream: "stdout" | "stderr";
  text: string;
}

/** The lines of one report; none when the mode hides it. */
export function renderReport(report: ListenReport, output: ListenOutput): RenderedLine[] {
  if (output === "json") return [{ stream: "stdout", text: JSON.stringify(jsonOf(report)) }];
  const failedForward = report.kind === "result" && !report.accepted;
  const problem = report.kind === "notice" && report.level !== "info";
  if (output === "quiet" && !failedForward && !(problem && report.level === "error")) return [];
  // Per-event lines stay together on stdout; warnings and errors about the listener itself go to stderr.
  const stream = problem || (failedForward && output === "quiet") ? "stderr" : "stdout";
  return compactLines(report).map((text) => ({ stream, text }));
}

const id = (value: string) => oneLine(value, 120);

function compactLines(report: ListenReport): string[] {
  switch (report.kind) {
    case "banner":
      return bannerLines(report);
    case "event":
      return [`--> ${id(report.type)} [${id(report.eventId)}]`];
    case "result": {
      const answer = `<-- [${report.statusCode || "---"}] POST ${report.url} (${report.durationMs} ms) [${id(report.eventId)}]`;
      return [report.accepted ? answer : `${answer} failed: ${report.reason ?? "not 2xx"}`];
    }
    case "skipped":
      return [
        `--- ${id(report.type)} [${id(report.eventId)}] already accepted at this target${report.acceptedAt ? ` at ${report.acceptedAt}` : ""}; not sent again`,
      ];
    case "notice":
      return [report.level === "info" ? report.message : `${report.level}: ${report.message}`];
    case "stopped":
      return [
        `Stopped: ${report.forwarded} forwarded, ${report.failed} failed, ${report.skipped} already delivered. ${report.watermark ? `Cursor saved at ${report.watermark}; the next run resumes there.` : "Nothing was handled; the next run starts afresh."}`,
      ];
  }
}

function bannerLines(banner: ListenBanner): string[] {
  const lines = [
    `Forwarding ${banner.webhookId ? `webhook ${banner.webhookId}'s events` : "events"} to ${banner.target}`,
    `  types: ${banner.types.length === EVENT_TYPES.length ? `all ${EVENT_TYPES.length} event types` : banner.types.join(", ")}`,
    `  from: ${
      banner.resumedAfter
        ? `where the last run stopped (after ${banner.resumedAfter})`
        : banner.startsAt
          ? `${banner.startsAt} (Exa's clock)`
          : "now"
    }`,
  ];
  if (banner.expired) {
    lines.push(
      `  Exa keeps events ${EVENT_RETENTION_DAYS} days: ${banner.expired.from} to ${banner.expired.until} is already deleted and cannot be forwarded.`,
    );
  }
  lines.push(`  signed with: ${secretLine(banner)}`);
  lines.push(`  state: ${banner.store}`);
  if (banner.sandboxEmit) lines.push(`  emit a sandbox event: ${banner.sandboxEmit} (or the sandbox_emit_event tool)`);
  lines.push(
    "  Delivery is at-least-once: an event in flight when the listener stopped may come again, with the same id (dedupe on event.id). Ctrl+C to stop.",
  );
  return lines;
}

function secretLine(banner: ListenBanner): string {
  switch (banner.secretSource) {
    case "env":
      return "the webhook's secret from EXA_WEBHOOK_SECRETS";
    case "flag":
      return "the webhook's secret from --secret";
    case "sandbox":
      return "the sandbox webhook's own secret";
    case "local":
      return `a local forwarding secret ${banner.localSecret} (not your webhook's Exa secret: configure your receiver with it for local testing only; pass --secret or EXA_WEBHOOK_SECRETS to sign with the real one)`;
  }
}

/** The JSON line of a report: its fields as they are (structure for programs), with the kind first. */
function jsonOf(report: ListenReport): Record<string, unknown> {
  return Object.fromEntries(Object.entries(report).filter(([, value]) => value !== undefined));
}
