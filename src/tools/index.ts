// The tool registry: every tool's definition (zod schemas and handler), in the order tools/list shows them.
// The server reaches it through src/tools/catalog.ts, on a tool's first call.
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
