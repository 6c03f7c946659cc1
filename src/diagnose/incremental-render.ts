// The lines a diagnosis adds about the store: how the scan used it ("read 6 new pages; 100,000 attempts from
// the scan at 14:02"), or why nothing is remembered, and the history ("failing since …; 2 times this month").
import { plural } from "../text/words.js";
import type { ScanMemoryNote, WebhookDiagnosis, WebhookHistory } from "./types.js";

const thousands = (n: number) => n.toLocaleString("en-US");
/** "2026-12-07 14:02 UTC": minutes are what a person reads back. */
const minuteText = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

const FULL_REASON: Record<Extract<ScanMemoryNote, { kind: "full" }>["reason"], string> = {
  first: "nothing remembered of this webhook yet",
  since: "a scan with since is not remembered, and no complete scan is remembered to build on",
  eventType: "a scan of one event type is not remembered, and no complete scan is remembered to build on",
  incomplete: "the scan was cut short, so it is not remembered",
  capped: "more attempts are remembered than maxAttempts allows",
  readFailed: "the newer attempts could not be read",
  expired: "what was remembered has expired",
  untimed: "an attempt's time could not be read, so the scan cannot be filed by day and is not remembered",
  unreadable: "what the store remembers of this webhook is incomplete or in a format this version does not read",
};

export function memoryText(note: ScanMemoryNote | undefined): string | undefined {
  if (!note) return undefined;
  switch (note.kind) {
    case "incremental":
      return `Read ${plural(note.newPages, "new page")} (${plural(note.newAttempts, "new attempt")}); ${thousands(note.rememberedAttempts)} attempts from the scan at ${minuteText(note.rememberedAt)}.`;
    case "full":
      return `Full scan (${FULL_REASON[note.reason]})${note.remembered ? "; remembered, so the next diagnosis reads only newer attempts" : ""}.`;
    case "off":
      return `History is not kept because ${note.because}`;
  }
}

export function historyText(
  history: WebhookHistory | undefined,
  verdict: WebhookDiagnosis["verdict"],
): string | undefined {
  if (!history?.keptFrom) return undefined;
  const parts = [`History since ${history.keptFrom.slice(0, 10)}`];
  if (history.since) parts.push(`${verdict} since ${minuteText(history.since)}`);
  const month = history.last30Days;
  parts.push(
    `last 30 days: failing ${plural(month.timesFailing, "time")}, ${thousands(month.failed)} failed of ${thousands(month.delivered + month.failed)} attempts`,
  );
  return `${parts.join("; ")}.`;
}
