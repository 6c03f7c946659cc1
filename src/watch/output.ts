// What a watch prints: person-readable lines on a TTY (compact), JSON lines otherwise, or only the alerts
// (quiet). Every line is rendered here from structure; names and error details are cleaned once more.
import { oneLine } from "../text/untrusted.js";
import type { AlertOutcome } from "./alert-post.js";
import type { Transition } from "./transitions.js";
import type { TickReport, WatchProblem } from "./watcher.js";
import { nextCallText, transitionFacts, transitionSentence } from "./words.js";

export type OutputMode = "compact" | "json" | "quiet";

export type WatchEvent =
  | { type: "tick"; report: TickReport; nextInMs: number }
  | { type: "alert"; outcome: AlertOutcome }
  | { type: "standby"; holder: string; until: string }
  | { type: "lease"; holder: string };

/** The lines one event prints (none is fine), in the given mode; `json` true writes JSON lines. */
export function renderEvent(event: WatchEvent, mode: OutputMode, json: boolean): string[] {
  const lines = json ? jsonLines(event) : compactLines(event);
  if (mode !== "quiet") return lines.map((line) => line.text);
  return lines.filter((line) => line.alert).map((line) => line.text);
}

interface Line {
  text: string;
  /** Shown in quiet mode: an alert, or an alert that did not arrive. */
  alert: boolean;
}

function jsonLines(event: WatchEvent): Line[] {
  switch (event.type) {
    case "tick": {
      const { report } = event;
      const lines: Line[] = report.transitions.map((transition) => ({
        text: JSON.stringify(transitionJson(transition)),
        alert: transition.decision === "alert",
      }));
      for (const gone of report.deleted)
        lines.push({ text: JSON.stringify({ type: "deleted", at: report.at, ...gone }), alert: false });
      for (const problem of report.problems)
        lines.push({
          text: JSON.stringify({ type: "problem", at: report.at, ...cleanProblem(problem) }),
          alert: false,
        });
      lines.push({
        text: JSON.stringify({
          type: "tick",
          at: report.at,
          webhooks: report.webhooks,
          rechecked: report.rechecked,
          transitions: report.transitions.length,
          rateLimited: report.rateLimited,
          nextInMs: event.nextInMs,
        }),
        alert: false,
      });
      return lines;
    }
    case "alert":
      return [
        {
          text: JSON.stringify({ type: event.outcome.ok ? "alert_sent" : "alert_failed", ...event.outcome }),
          alert: !event.outcome.ok,
        },
      ];
    case "standby":
      return [{ text: JSON.stringify(event), alert: false }];
    case "lease":
      return [{ text: JSON.stringify(event), alert: false }];
  }
}

export function transitionJson(transition: Transition) {
  return { type: "transition", ...transitionFacts(transition), decision: transition.decision };
}

function compactLines(event: WatchEvent): Line[] {
  switch (event.type) {
    case "tick": {
      const { report } = event;
      const time = clock(report.at);
      const lines: Line[] = report.transitions.map((transition) => ({
        text: `${time} ${compactTransition(transition)}`,
        alert: transition.decision === "alert",
      }));
      for (const gone of report.deleted)
        lines.push({
          text: `${time} ${gone.name ? `${gone.name} (${gone.webhookId})` : gone.webhookId} was deleted; no longer watched.`,
          alert: false,
        });
      for (const problem of report.problems)
        lines.push({ text: `${time} ${problemText(cleanProblem(problem))}`, alert: false });
      if (report.rateLimited)
        lines.push({
          text: `${time} Exa answered 429 (rate limited): the next tick waits ${Math.round(event.nextInMs / 1000)} s.`,
          alert: false,
        });
      return lines;
    }
    case "alert": {
      const { outcome } = event;
      if (outcome.ok) return [];
      return [
        {
          text: `alert for ${outcome.webhookId} (${outcome.to}) did not arrive after ${outcome.attempts} attempts: ${outcome.reason}.`,
          alert: true,
        },
      ];
    }
    case "standby":
      return [
        {
          text: `standing by: ${oneLine(event.holder, 120)} holds the watch lease until ${event.until}; this replica takes over if it stops.`,
          alert: false,
        },
      ];
    case "lease":
      return [{ text: `watching as ${oneLine(event.holder, 120)} (holds the watch lease).`, alert: false }];
  }
}

function compactTransition(transition: Transition): string {
  const mark = transition.to === "recovered" || transition.to === "healthy" ? "✓" : "⚠";
  const sentence = transitionSentence(transition);
  switch (transition.decision) {
    case "baseline":
      return `${mark} ${sentence.replace(" (was none)", "")} [first look: no alert]`;
    case "quiet":
      return `${mark} ${sentence}`;
    case "cooldown":
      return `${mark} ${sentence} [alert held back: the same alert went out within the cooldown]`;
    case "alert":
      return `${mark} ${sentence} Next: ${nextCallText(transition)}`;
  }
}

function cleanProblem(problem: WatchProblem): WatchProblem {
  return { ...problem, detail: oneLine(problem.detail, 300) };
}

function problemText(problem: WatchProblem): string {
  switch (problem.kind) {
    case "list_failed":
      return `could not list the webhooks (${problem.detail}); states stay as they were, next tick tries again.`;
    case "probe_failed":
    case "check_unknown":
      return `could not check ${problem.webhookId} (${problem.detail}); its state stays as it was.`;
    case "store_failed":
      return `the store failed (${problem.detail}); watching from memory, transitions of this tick may not survive a restart.`;
  }
}

/** HH:MM:SS of an ISO time (UTC). */
function clock(iso: string): string {
  return iso.slice(11, 19);
}
