// The tool registry: every tool the server can offer, in the order tools/list shows them.
import type { Config } from "../config.js";
import { createWebhookTool } from "./create-webhook.js";
import type { ToolDefinition } from "./define.js";
import { deleteWebhookTool } from "./delete-webhook.js";
import { diagnoseFailuresTool } from "./diagnose-failures.js";
import { forwardEventsTool } from "./forward-events.js";
import { getEventTool } from "./get-event.js";
import { getWebhookTool } from "./get-webhook.js";
import { listEventsTool } from "./list-events.js";
import { listWebhookAttemptsTool } from "./list-webhook-attempts.js";
import { listWebhooksTool } from "./list-webhooks.js";
import { redeliverEventsTool } from "./redeliver-events.js";
import { sandboxEmitEventTool } from "./sandbox-emit-event.js";
import { sandboxSetReceiverTool } from "./sandbox-set-receiver.js";
import { updateWebhookTool } from "./update-webhook.js";
import { verifyWebhookSignatureTool } from "./verify-webhook-signature.js";

// biome-ignore lint/suspicious/noExplicitAny: the registry holds tools of different input/output types
export type AnyToolDefinition = ToolDefinition<any, any>;

export const ALL_TOOLS: readonly AnyToolDefinition[] = [
  listWebhooksTool,
  getWebhookTool,
  createWebhookTool,
  updateWebhookTool,
  deleteWebhookTool,
  listWebhookAttemptsTool,
  diagnoseFailuresTool,
  listEventsTool,
  getEventTool,
  redeliverEventsTool,
  forwardEventsTool,
  verifyWebhookSignatureTool,
  sandboxEmitEventTool,
  sandboxSetReceiverTool,
];

export const TOOL_NAMES: readonly string[] = ALL_TOOLS.map((tool) => tool.name);

type Selection = Pick<Config, "readOnly" | "sandbox" | "tools">;

/** The tools this configuration offers: --read-only keeps the read-only ones, sandbox tools need --sandbox, --tools narrows. */
export function selectTools(config: Selection): AnyToolDefinition[] {
  return ALL_TOOLS.filter(
    (tool) => !excludedByFlags(tool, config) && (config.tools ? config.tools.includes(tool.name) : true),
  );
}

function excludedByFlags(tool: AnyToolDefinition, config: Selection): "read-only" | "sandbox" | undefined {
  // Read-only means no state changes anywhere, the sandbox's emitted events included.
  if (config.readOnly && !tool.annotations.readOnlyHint) return "read-only";
  if (tool.sandboxOnly && !config.sandbox) return "sandbox";
  return undefined;
}

/** Why --tools selects nothing with these flags, and what it could select instead; undefined when it selects some. */
export function emptySelectionText(config: Selection): string | undefined {
  if (!config.tools || selectTools(config).length) return undefined;
  const named = ALL_TOOLS.filter((tool) => config.tools?.includes(tool.name));
  const names = (reason: "read-only" | "sandbox") =>
    named.filter((tool) => excludedByFlags(tool, config) === reason).map((tool) => tool.name);
  const readOnly = names("read-only");
  const sandbox = names("sandbox");
  const reasons = [
    readOnly.length &&
      `${andList(readOnly)} change${readOnly.length === 1 ? "s" : ""} state, which --read-only excludes`,
    sandbox.length && `${andList(sandbox)} need${sandbox.length === 1 ? "s" : ""} --sandbox`,
  ].filter(Boolean);
  const available = selectTools({ ...config, tools: undefined }).map((tool) => tool.name);
  return `--tools leaves no tool to serve: ${reasons.join("; ")}. Tools available with these flags: ${available.join(", ")}.`;
}

function andList(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : (items[0] ?? "");
}
