// The delivery-health view of diagnose_failures (an MCP App): it receives the tool's result from the host, draws
// it (render.ts), and calls the server's tools through the host when the user asks: diagnose_failures for one
// webhook, redeliver_events as a dry run, and a real redelivery only on the user's click after the plan. Written to
// a file by `call diagnose_failures --html` (src/ui/standalone.ts), it shows the inlined result and needs no host.
import {
  App,
  applyDocumentTheme,
  applyHostFonts,
  applyHostStyleVariables,
  type McpUiHostContext,
} from "@modelcontextprotocol/ext-apps";
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { RedeliveryOutput } from "../../redeliver/schema.js";
import "./style.css";
import { renderView, sendableIds, type ViewActions, type ViewReport, type ViewState } from "./render.js";

const root = document.getElementById("app") as HTMLElement;
const state: ViewState = { redelivery: new Map() };
const app = new App({ name: "exa-webhooks-health", version: "1.0.0" }, {});

function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
}

function isReport(value: unknown): value is ViewReport {
  return !!value && typeof value === "object" && Array.isArray((value as { webhooks?: unknown }).webhooks);
}

function draw(): void {
  // Keep the keyboard where it was: the view is rebuilt on every change.
  const focused = document.activeElement?.getAttribute("data-key");
  root.replaceChildren(renderView(state, actions));
  if (focused) (root.querySelector(`[data-key="${CSS.escape(focused)}"]`) as HTMLElement | null)?.focus();
}

function showReport(report: ViewReport): void {
  const first = state.report === undefined;
  state.report = report;
  if (!report.webhooks.some((w) => w.webhookId === state.selected)) state.selected = report.webhooks[0]?.webhookId;
  draw();
  // For whoever measures how fast the view draws (the browser test, a host's devtools).
  if (first) performance.mark("exa-health:rendered");
}

/** One tool call through the host; the view waits (buttons disabled) and shows the tool's words on failure. */
async function callTool(
  busy: string,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult | undefined> {
  state.busy = busy;
  state.error = undefined;
  draw();
  try {
    const result = await app.callServerTool({ name, arguments: args });
    if (result.isError) state.error = textOf(result);
    return result.isError ? undefined : result;
  } catch (error) {
    state.error = `The host did not complete ${name}: ${error instanceof Error ? error.message : String(error)}`;
    return undefined;
  } finally {
    state.busy = undefined;
    draw();
  }
}

const actions: ViewActions = {
  select(webhookId) {
    state.selected = webhookId;
    draw();
  },
  async diagnose(webhookId) {
    const result = await callTool(`Diagnosing ${webhookId}…`, "diagnose_failures", { webhookId });
    const fresh = isReport(result?.structuredContent) ? result.structuredContent.webhooks[0] : undefined;
    if (!fresh || !state.report) return;
    // The fresh diagnosis takes the webhook's place in the fleet.
    state.report = {
      ...state.report,
      webhooks: state.report.webhooks.map((w) => (w.webhookId === webhookId ? fresh : w)),
    };
    state.redelivery.delete(webhookId);
    draw();
  },
  async plan(webhookId) {
    const result = await callTool(`Planning the redelivery of ${webhookId}…`, "redeliver_events", {
      webhookId,
      undelivered: true,
      dryRun: true,
    });
    if (!result?.structuredContent) return;
    state.redelivery.set(webhookId, { plan: result.structuredContent as RedeliveryOutput });
    draw();
  },
  async send(webhookId) {
    const plan = state.redelivery.get(webhookId)?.plan;
    if (!plan) return;
    // Exactly the events the plan showed: nothing the user did not see goes out.
    const eventIds = sendableIds(plan).slice(0, 500);
    const result = await callTool(`Sending ${eventIds.length} events…`, "redeliver_events", {
      webhookId,
      eventIds,
      dryRun: false,
    });
    if (!result?.structuredContent) return;
    state.redelivery.set(webhookId, { plan, sent: result.structuredContent as RedeliveryOutput });
    draw();
  },
};

function applyHostContext(context: McpUiHostContext | undefined): void {
  if (!context) return;
  if (context.theme) applyDocumentTheme(context.theme);
  if (context.styles?.variables) applyHostStyleVariables(context.styles.variables);
  if (context.styles?.css?.fonts) applyHostFonts(context.styles.css.fonts);
}

// Handlers first: the host may send the result right after the handshake.
app.ontoolinput = () => {
  state.busy = "Diagnosing…";
  draw();
};
app.ontoolresult = (result) => {
  state.busy = undefined;
  if (result.isError) state.error = textOf(result);
  if (isReport(result.structuredContent)) showReport(result.structuredContent);
  else draw();
};
app.onhostcontextchanged = (context) => applyHostContext(context);

/** The result `call --html` inlined (src/ui/standalone.ts); none when a host shows the view. */
function inlinedReport(): ViewReport | undefined {
  const text = document.getElementById("exa-health-result")?.textContent;
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isReport(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const saved = inlinedReport();
if (saved) {
  // A file in a browser: no host to call tools through, so the view says how to refresh instead of offering buttons.
  state.offline = true;
  showReport(saved);
} else {
  draw();
  connectToHost();
}

function connectToHost(): void {
  app.connect().then(
    () => applyHostContext(app.getHostContext()),
    (error: unknown) => {
      state.error = `Could not connect to the host: ${error instanceof Error ? error.message : String(error)}`;
      draw();
    },
  );
}
