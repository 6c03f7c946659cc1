// The history section of the health view: what the store remembers beyond Exa's retention (days kept, since when
// the current verdict holds, the last 30 days, and each verdict change with its cause). Absent without a store.
import type { WebhookHistory } from "../../diagnose/types.js";
import { plural } from "../../text/words.js";
import { h } from "./dom.js";
import { utc } from "./format.js";

/** Most changes listed, newest first; the text and structured result keep up to 50. */
const CHANGES_SHOWN = 10;
const DAY_MS = 86_400_000;

export function historySection(
  history: WebhookHistory | undefined,
  verdict: string,
  generatedAt: string,
): Node | undefined {
  if (!history?.keptFrom) return undefined;
  const days = Math.max(1, Math.ceil((Date.parse(generatedAt) - Date.parse(history.keptFrom)) / DAY_MS));
  const month = history.last30Days;
  const changes = history.transitions.slice(-CHANGES_SHOWN).reverse();
  return h(
    "section",
    { class: "history", "aria-labelledby": "history-title" },
    h("h3", { id: "history-title" }, `History (${plural(days, "day")} kept)`),
    h(
      "p",
      { class: "meta" },
      history.since ? `${verdict} since ${utc(history.since)}; ` : "",
      `last 30 days: failing ${plural(month.timesFailing, "time")}, ${month.failed} failed of ${plural(month.delivered + month.failed, "attempt")}`,
    ),
    changes.length === 0
      ? h("p", { class: "empty" }, "No verdict change recorded yet.")
      : h(
          "ol",
          { class: "transitions", reversed: true },
          ...changes.map((t) =>
            h(
              "li",
              { "data-at": t.at },
              h("time", {}, utc(t.at)),
              ` ${t.from} → ${t.to}: `,
              h("span", { class: "cause" }, t.cause),
            ),
          ),
        ),
  );
}
