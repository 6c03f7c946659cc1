// sandbox_set_receiver (only with --sandbox): changes how the demo receiver behind a webhook answers, so a
// user can "fix" a broken receiver and replay what it missed, or break a healthy one to see a failure.
import { z } from "zod";
import { ToolInputError } from "../errors.js";
import { RECEIVER_BEHAVIORS, type ReceiverBehavior, receiverChoicesText } from "../sandbox/handle.js";
import { defineTool } from "./define.js";
import { strictInput, webhookId } from "./inputs.js";

const behaviors = Object.keys(RECEIVER_BEHAVIORS) as [ReceiverBehavior, ...ReceiverBehavior[]];

export const sandboxSetReceiverTool = defineTool({
  name: "sandbox_set_receiver",
  title: "Set a sandbox receiver's behaviour",
  description:
    'Sandbox: change how the demo receiver behind a webhook answers from now on; "healthy" fixes it. Past failures are not resent: replay them with redeliver_events.',
  sandboxOnly: true,
  inputSchema: strictInput({
    webhookId: webhookId.describe("A demo webhook (from list_webhooks)."),
    behavior: z.enum(behaviors).describe(receiverChoicesText()),
  }),
  outputSchema: z.object({ webhookId: z.string(), url: z.string(), behavior: z.string(), previous: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, context) {
    if (!context.sandbox)
      throw new ToolInputError("sandbox_set_receiver works only when the server runs with --sandbox.");
    const result = await context.sandbox.setReceiver(input);
    const { webhookId: id, name, url, behavior, previous } = result;
    const label = name ? `${id} (${name})` : id;
    const change = behavior === previous ? `still ${behavior}` : `was ${previous}, now ${behavior}`;
    const lines = [`The receiver of ${label} at ${url} ${change}: it ${RECEIVER_BEHAVIORS[behavior].description}.`];
    if (result.webhookUrl !== url)
      lines.push(`Note: the webhook now points at ${result.webhookUrl}, not at this receiver.`);
    if (behavior === "healthy") {
      if (result.webhookStatus === "inactive") {
        lines.push(
          `${id} stays inactive: Exa sends it nothing new, and status cannot be changed through the API (create a new webhook for new events). The events it missed can still be replayed to it.`,
        );
      }
      lines.push(
        `Exa does not resend what failed before: find the missed events with diagnose_failures {"webhookId":"${id}"}, then replay them with redeliver_events {"webhookId":"${id}","undelivered":true} (a dry run first).`,
      );
    } else if (result.webhookStatus === "active") {
      lines.push(
        `See it fail: sandbox_emit_event {"type":"webset.created","webhookId":"${id}"}, then list_webhook_attempts {"webhookId":"${id}"}.`,
      );
    }
    return { text: lines.join("\n"), structured: { webhookId: id, url, behavior, previous } };
  },
});
