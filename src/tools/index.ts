// The tool registry: every tool the server can offer, in the order tools/list shows them.
import type { Config } from "../config.js";
import { createWebhookTool } from "./create-webhook.js";
import type { ToolDefinition } from "./define.js";
import { deleteWebhookTool } from "./delete-webhook.js";
import { diagnoseFailuresTool } from "./diagnose-failures.js";
import { getEventTool } from "./get-event.js";
import { getWebhookTool } from "./get-webhook.js";
import { listEventsTool } from "./list-events.js";
import { listWebhookAttemptsTool } from "./list-webhook-attempts.js";
import { listWebhooksTool } from "./list-webhooks.js";
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
  verifyWebhookSignatureTool,
  sandboxEmitEventTool,
  sandboxSetReceiverTool,
];

export const TOOL_NAMES: readonly string[] = ALL_TOOLS.map((tool) => tool.name);

/** The tools this configuration offers: no writes with --read-only, sandbox tools only in the sandbox, --tools narrows. */
export function selectTools(config: Pick<Config, "readOnly" | "sandbox" | "tools">): AnyToolDefinition[] {
  return ALL_TOOLS.filter((tool) => {
    // Read-only means no state changes anywhere, the sandbox's emitted events included.
    if (config.readOnly && (tool.kind === "write" || tool.kind === "sandbox")) return false;
    if (!config.sandbox && tool.kind === "sandbox") return false;
    return config.tools ? config.tools.includes(tool.name) : true;
  });
}
