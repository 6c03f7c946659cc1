// The health view from its state: fleet cards worst first, then the selected webhook's timeline, failure groups,
// missed events and redelivery. Pure DOM building (dom.ts); main.ts owns the state and the host bridge.
import type { z } from "zod";
import type { DiagnosisGroup, diagnosisReportSchema, Verdict } from "../../diagnose/types.js";
import type { RedeliveryOutput } from "../../redeliver/schema.js";
import { plural } from "../../text/words.js";
import { button, type Child, h, svg } from "./dom.js";
import { type Bar, bars, bucketWord, percent, utc, VERDICT_LOOK } from "./format.js";
import { historySection } from "./history.js";

type StructuredReport = z.infer<typeof diagnosisReportSchema>;
/** A webhook as the view reads it; `missedEvents` and `events.neverAttempted` come with the recovery check. */
export type ViewWebhook = StructuredReport["webhooks"][number] & {
  events: { neverAttempted?: number };
  missedEvents?: {
    undelivered: string[];
    neverAttempted: string[];
    truncated: boolean;
    recovered?: string[];
    outstanding?: number;
  };
};
export type ViewReport = Omit<StructuredReport, "webhooks"> & { webhooks: ViewWebhook[] };

/** Redelivery for one webhook: the dry run's plan, then (after the user's click) what was sent. */
export interface Redelivery {
  plan?: RedeliveryOutput;
  sent?: RedeliveryOutput;
}

export interface ViewState {
  report?: ViewReport;
  selected?: string;
  /** What the view is waiting for, when it waits. */
  busy?: string;
  /** The last problem, as the tool said it. */
  error?: string;
  redelivery: Map<string, Redelivery>;
  /** Opened from a file written by `call --html`: no host, so no tool calls. */
  offline?: boolean;
}

export interface ViewActions {
  select(webhookId: string): void;
  diagnose(webhookId: string): void;
  plan(webhookId: string): void;
  send(webhookId: string): void;
}

const PLANNED_SHOWN = 20;
const MISSED_SHOWN = 20;

export function renderView(state: ViewState, actions: ViewActions): Node {
  const report = state.report;
  if (!report) return h("p", { class: "waiting" }, state.busy ?? "Waiting for diagnose_failures…");
  if (report.webhooks.length === 0) {
    return h("p", { class: "waiting" }, "No webhooks on this account. Create one with create_webhook.");
  }
  const selected = report.webhooks.find((w) => w.webhookId === state.selected) ?? report.webhooks[0];
  return h(
    "div",
    { class: "view" },
    header(report),
    h(
      "section",
      { class: "fleet", "aria-label": "Webhooks, worst first" },
      ...report.webhooks.map((w) => card(w, w === selected, actions)),
    ),
    h("p", { class: "status", role: "status" }, state.busy ?? ""),
    state.error ? h("p", { class: "error", role: "alert" }, state.error) : undefined,
    selected ? detail(selected, state, actions) : undefined,
  );
}

function header(report: ViewReport): Node {
  const counts = new Map<Verdict, number>();
  for (const w of report.webhooks) counts.set(w.verdict, (counts.get(w.verdict) ?? 0) + 1);
  const summary = [...counts].map(([verdict, count]) => `${count} ${VERDICT_LOOK[verdict].word.toLowerCase()}`);
  return h(
    "header",
    {},
    h("h1", {}, "Webhook delivery health"),
    h(
      "p",
      { class: "summary" },
      `${plural(report.webhooks.length, "webhook")}: ${summary.join(", ")} · diagnosed ${utc(report.generatedAt)}`,
      report.webhookLimit === undefined ? undefined : ` · only the first ${report.webhookLimit} shown`,
    ),
  );
}

function badge(verdict: Verdict): Node {
  const look = VERDICT_LOOK[verdict];
  return h(
    "span",
    { class: `badge verdict-${verdict}`, "data-verdict": verdict },
    h("span", { "aria-hidden": "true" }, look.symbol),
    ` ${look.word}`,
  );
}

function stat(label: string, value: Child, key: string): Node {
  return h("div", { "data-stat": key }, h("dt", {}, label), h("dd", {}, value));
}

function neverAttemptedText(w: ViewWebhook): string {
  return w.events.neverAttempted === undefined ? "–" : String(w.events.neverAttempted);
}

function card(w: ViewWebhook, isSelected: boolean, actions: ViewActions): Node {
  const select = h(
    "button",
    {
      type: "button",
      class: "card-select",
      "aria-pressed": isSelected ? "true" : "false",
      "data-key": `select:${w.webhookId}`,
    },
    badge(w.verdict),
    h("span", { class: "name" }, w.name ?? w.webhookId),
    w.name ? h("span", { class: "id" }, w.webhookId) : undefined,
  );
  select.addEventListener("click", () => actions.select(w.webhookId));
  return h(
    "article",
    { class: `card verdict-${w.verdict}`, "data-webhook-id": w.webhookId, "data-verdict": w.verdict },
    select,
    h(
      "dl",
      { class: "stats" },
      stat("Failure rate", percent(w.failureRate), "failureRate"),
      stat("Undelivered", w.events.undelivered, "undelivered"),
      stat("Never attempted", neverAttemptedText(w), "neverAttempted"),
      w.missedEvents?.outstanding === undefined
        ? undefined
        : stat("Outstanding", w.missedEvents.outstanding, "outstanding"),
    ),
  );
}

function detail(w: ViewWebhook, state: ViewState, actions: ViewActions): Node {
  const busy = state.busy !== undefined;
  return h(
    "section",
    { class: "detail", "aria-labelledby": "detail-title", "data-webhook-id": w.webhookId },
    h("h2", { id: "detail-title" }, badge(w.verdict), " ", w.name ?? w.webhookId),
    h("p", { class: "meta" }, w.webhookId, " · ", w.status, " · ", h("span", { class: "url" }, w.url)),
    h(
      "p",
      { class: "meta" },
      `${w.failedAttempts} of ${plural(w.attemptsScanned, "attempt")} failed (${percent(w.failureRate)}); `,
      `${w.events.undelivered} of ${plural(w.events.total, "event")} undelivered`,
      w.complete ? undefined : ` · partial scan: ${w.incompleteReason ?? "cut short"}`,
    ),
    state.offline ? offlineNote(w) : actionButtons(w, busy, actions),
    timeline(w),
    historySection(w.history, w.verdict, state.report?.generatedAt ?? new Date().toISOString()),
    groups(w.groups),
    missed(w),
    redelivery(w, state.redelivery.get(w.webhookId), busy, actions),
  );
}

/** In a saved file the buttons could reach nothing: say how to get a fresh view instead. */
function offlineNote(w: ViewWebhook): Node {
  return h(
    "p",
    { class: "meta offline" },
    "Saved view (no live connection). For a fresh one, run ",
    h(
      "code",
      {},
      `exa-webhooks-mcp call diagnose_failures '${JSON.stringify({ webhookId: w.webhookId })}' --html FILE`,
    ),
  );
}

function actionButtons(w: ViewWebhook, busy: boolean, actions: ViewActions): Node {
  return h(
    "div",
    { class: "actions" },
    button("Diagnose this webhook", () => actions.diagnose(w.webhookId), {
      "data-key": `diagnose:${w.webhookId}`,
      disabled: busy,
    }),
    button("Plan redelivery", () => actions.plan(w.webhookId), {
      "data-key": `plan:${w.webhookId}`,
      disabled: busy,
    }),
  );
}

function timeline(w: ViewWebhook): Node {
  const title = h("h3", {}, "Delivered vs failed");
  if (!w.timeline || w.timeline.buckets.length === 0) {
    return h("section", { class: "timeline" }, title, h("p", { class: "empty" }, "No attempts to chart."));
  }
  const filled = bars(w.timeline);
  const max = Math.max(1, ...filled.map((bar) => bar.delivered + bar.failed));
  const width = 10;
  const height = 100;
  const chart = svg(
    "svg",
    {
      viewBox: `0 0 ${filled.length * width} ${height}`,
      preserveAspectRatio: "none",
      role: "img",
      "aria-label": `${bucketWord(w.timeline.bucketMs)} attempts from ${utc(filled[0]?.startMs)} to ${utc(filled.at(-1)?.startMs)}`,
    },
    ...filled.map((bar, index) => barGroup(bar, index * width, width, height, max, w.timeline?.bucketMs ?? 0)),
  );
  const failures = w.groups.length > 0 ? firstFailureNote(filled) : undefined;
  return h(
    "section",
    { class: "timeline", "data-bucket-ms": w.timeline.bucketMs },
    title,
    h("p", { class: "meta" }, `Attempts ${bucketWord(w.timeline.bucketMs)}, UTC.`, failures ? ` ${failures}` : ""),
    chart,
    h("div", { class: "axis" }, h("span", {}, utc(filled[0]?.startMs)), h("span", {}, utc(filled.at(-1)?.startMs))),
    h(
      "p",
      { class: "legend" },
      h("span", { class: "swatch delivered", "aria-hidden": "true" }),
      " delivered ",
      h("span", { class: "swatch failed", "aria-hidden": "true" }),
      " failed",
    ),
  );
}

function barGroup(bar: Bar, x: number, width: number, height: number, max: number, bucketMs: number): Node {
  const deliveredHeight = (bar.delivered / max) * height;
  const failedHeight = (bar.failed / max) * height;
  return svg(
    "g",
    {
      class: "bar",
      "data-start": new Date(bar.startMs).toISOString(),
      "data-delivered": bar.delivered,
      "data-failed": bar.failed,
    },
    svg(
      "title",
      {},
      `${utc(bar.startMs)} (+${bucketWord(bucketMs)}): ${bar.delivered} delivered, ${bar.failed} failed`,
    ),
    // The bar's slot, so a quiet bucket still has something to hover.
    svg("rect", { class: "slot", x, y: 0, width, height }),
    svg("rect", {
      class: "delivered",
      x: x + 1,
      y: height - deliveredHeight,
      width: width - 2,
      height: deliveredHeight,
    }),
    svg("rect", {
      class: "failed",
      x: x + 1,
      y: height - deliveredHeight - failedHeight,
      width: width - 2,
      height: failedHeight,
    }),
  );
}

/** "Failures began 2026-11-30 13:00 UTC after 40 buckets without any." when the chart shows such a turn. */
function firstFailureNote(filled: readonly Bar[]): string | undefined {
  const first = filled.findIndex((bar) => bar.failed > 0);
  if (first <= 0) return undefined;
  const clean = filled.slice(0, first).filter((bar) => bar.delivered > 0).length;
  return clean > 0 ? `Failures began ${utc(filled[first]?.startMs)}, after ${clean} periods with none.` : undefined;
}

function statusText(statusCode: number): string {
  return statusCode === 0 ? "no HTTP response" : `HTTP ${statusCode}`;
}

function groups(list: readonly DiagnosisGroup[]): Node {
  const title = h("h3", {}, "Failures by cause");
  if (list.length === 0) return h("section", { class: "groups" }, title, h("p", { class: "empty" }, "No failures."));
  return h(
    "section",
    { class: "groups" },
    title,
    h(
      "ol",
      {},
      ...list.map((g) =>
        h(
          "li",
          { class: "group", "data-category": g.category },
          h(
            "p",
            { class: "group-title" },
            h("strong", {}, plural(g.count, "attempt")),
            ` · ${g.category} · ${statusText(g.statusCode)}`,
          ),
          h("p", { class: "meta" }, `${utc(g.firstSeen)} to ${utc(g.lastSeen)} · ${g.eventTypes.join(", ")}`),
          g.sampleResponse
            ? h(
                "div",
                { class: "sample" },
                h("p", { class: "meta" }, `Receiver's response to ${g.sampleAttemptId} (untrusted):`),
                h("pre", {}, g.sampleResponse),
              )
            : h("p", { class: "meta" }, `Empty response to ${g.sampleAttemptId}.`),
          h("p", { class: "hint" }, h("strong", {}, "Next: "), g.hint),
        ),
      ),
    ),
  );
}

function idList(label: string, ids: readonly string[], key: string): Node | undefined {
  if (ids.length === 0) return undefined;
  const shown = ids.slice(0, MISSED_SHOWN);
  return h(
    "div",
    { "data-missed": key },
    h("p", { class: "meta" }, `${label} (${ids.length}${ids.length > shown.length ? `, first ${shown.length}` : ""}):`),
    h("ul", { class: "ids" }, ...shown.map((id) => h("li", {}, id))),
  );
}

function missed(w: ViewWebhook): Node {
  const title = h("h3", {}, "Missed events");
  const undelivered = w.events.undelivered;
  const never = w.events.neverAttempted ?? 0;
  if (undelivered + never === 0) {
    return h("section", { class: "missed" }, title, h("p", { class: "empty" }, "Nothing missed in the scan."));
  }
  const lists = w.missedEvents;
  const recovered = lists?.recovered ?? [];
  const outstanding = lists?.outstanding;
  // Exa's counts, then what redelivery made of them: recovered (accepted) and still outstanding.
  const fold =
    outstanding === undefined
      ? ". Exa does not resend them: plan a redelivery."
      : recovered.length
        ? `: ${recovered.length} recovered by redelivery, ${outstanding} outstanding.${outstanding ? " Plan a redelivery for the rest." : " Nothing left to redeliver."}`
        : `: ${outstanding} outstanding. Exa does not resend them: plan a redelivery.`;
  return h(
    "section",
    { class: "missed" },
    title,
    h(
      "p",
      { "data-missed": "summary" },
      `${plural(undelivered, "event")} undelivered`,
      w.events.neverAttempted === undefined ? "" : `, ${never} never attempted`,
      fold,
    ),
    idList("Recovered by redelivery", recovered, "recovered"),
    lists
      ? idList(outstanding === undefined ? "Undelivered" : "Undelivered, outstanding", lists.undelivered, "undelivered")
      : undefined,
    lists ? idList("Never attempted", lists.neverAttempted, "neverAttempted") : undefined,
    lists?.truncated ? h("p", { class: "meta" }, "More were missed than listed here.") : undefined,
  );
}

/** The ids a real redelivery sends: what the plan showed, less what it would skip. */
export function sendableIds(plan: RedeliveryOutput): string[] {
  return plan.planned.filter((event) => !event.skipped && !event.expired).map((event) => event.eventId);
}

function redelivery(
  w: ViewWebhook,
  state: Redelivery | undefined,
  busy: boolean,
  actions: ViewActions,
): Node | undefined {
  if (!state?.plan) return undefined;
  const plan = state.plan;
  const ids = sendableIds(plan);
  const planned = plan.planned.slice(0, PLANNED_SHOWN);
  return h(
    "section",
    { class: "redelivery", "aria-labelledby": "plan-title" },
    h("h3", { id: "plan-title" }, "Redelivery plan"),
    h(
      "p",
      { id: "plan-summary" },
      `Dry run, nothing sent: ${plural(ids.length, "event")} would be POSTed, signed, to `,
      h("span", { class: "url" }, plan.targetUrl),
      plan.skipped > 0 ? `; ${plan.skipped} skipped (expired or not found)` : "",
      ".",
    ),
    plan.complete ? undefined : h("p", { class: "meta" }, plan.incompleteReason ?? "The plan is incomplete."),
    planned.length > 0
      ? h(
          "ul",
          { class: "planned" },
          ...planned.map((event) =>
            h(
              "li",
              { "data-event-id": event.eventId },
              event.eventId,
              ` · ${event.type ?? "unknown type"} · ${utc(event.createdAt)}`,
              event.skipped ? ` · skipped (${event.skipped})` : event.expired ? " · expired" : "",
            ),
          ),
        )
      : undefined,
    plan.planned.length > planned.length
      ? h("p", { class: "meta" }, `and ${plan.planned.length - planned.length} more.`)
      : undefined,
    ids.length > 0 && !state.sent
      ? button(`Send ${plural(ids.length, "event")} now`, () => actions.send(w.webhookId), {
          class: "danger",
          "aria-describedby": "plan-summary",
          "data-key": `send:${w.webhookId}`,
          disabled: busy,
        })
      : undefined,
    state.sent ? sentResult(state.sent) : undefined,
  );
}

function sentResult(sent: RedeliveryOutput): Node {
  return h(
    "div",
    { class: "sent", "data-sent": "true" },
    h("p", {}, h("strong", {}, `Sent: ${sent.delivered} delivered, ${sent.failed} failed, ${sent.skipped} skipped.`)),
    h(
      "ul",
      { class: "planned" },
      ...(sent.results ?? [])
        .slice(0, PLANNED_SHOWN)
        .map((result) =>
          h(
            "li",
            { "data-event-id": result.eventId },
            `${result.ok ? "✓" : "✕"} ${result.eventId} · ${statusText(result.statusCode)}`,
            result.response ? h("pre", {}, result.response) : undefined,
          ),
        ),
    ),
  );
}
