// What forward_events tells a model: the answer first (how many forwarded, how many accepted), one line per
// event with status and latency, the secret the handler must verify with, and the next step.
import { oneLine } from "../text/untrusted.js";
import { plural } from "../text/words.js";
import type { ForwardEventsOutcome } from "./forward-events.js";

const SHOWN = 50;

export function renderForwardEvents(outcome: ForwardEventsOutcome): string {
  const accepted = outcome.forwarded.filter((result) => result.accepted).length;
  const failed = outcome.forwarded.length - accepted;
  const why =
    outcome.stoppedBy === "max_events"
      ? "reached maxEvents"
      : outcome.stoppedBy === "max_seconds"
        ? "maxSeconds ran out"
        : `stopped: ${outcome.error}`;
  const lines = [
    `Forwarded ${plural(outcome.forwarded.length, "event")} to ${outcome.target} (${accepted} accepted, ${failed} failed; ${why}).`,
  ];
  for (const result of outcome.forwarded.slice(0, SHOWN)) {
    const answer = result.accepted
      ? `${result.statusCode}`
      : `failed: ${result.statusCode ? `${result.statusCode} ` : ""}${result.reason ?? ""}`.trim();
    lines.push(`- ${oneLine(result.type, 80)} ${oneLine(result.eventId, 80)} → ${answer} in ${result.durationMs} ms`);
  }
  if (outcome.forwarded.length > SHOWN) lines.push(`(and ${outcome.forwarded.length - SHOWN} more)`);
  if (outcome.skipped)
    lines.push(`${plural(outcome.skipped, "event")} already accepted at this target: not sent again.`);
  lines.push(signedWith(outcome));
  if (!outcome.forwarded.length)
    lines.push(
      "No new event arrived in the window. Trigger one (in the sandbox: sandbox_emit_event) and call forward_events again, or pass since (e.g. 1h) to replay recent ones.",
    );
  else if (failed)
    lines.push(
      "Next: fix the handler, then redeliver_events with these eventIds and targetUrl to resend the failed ones.",
    );
  return lines.join("\n");
}

function signedWith(outcome: ForwardEventsOutcome): string {
  switch (outcome.secretSource) {
    case "local":
      return `Signed with a local forwarding secret for this call only (not an Exa secret): ${outcome.localSecret}. Configure the handler with it to check signatures, or pass webhookId with its secret in EXA_WEBHOOK_SECRETS.`;
    case "flag":
      return "Signed with the secret given.";
    case "env":
      return "Signed with the webhook's secret from EXA_WEBHOOK_SECRETS.";
    case "sandbox":
      return "Signed with the sandbox webhook's own secret.";
  }
}
