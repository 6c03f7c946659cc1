// redeliver_events in --sandbox, through the built bin: the sandbox signs with its own secret for each
// webhook, so a receiver's 401 must point at that secret, not at EXA_WEBHOOK_SECRETS, which --sandbox never
// reads (issue 18 §4, sandbox wording).
import type { createWebhookTool } from "../../src/tools/create-webhook.js";
import type { sandboxEmitEventTool } from "../../src/tools/sandbox-emit-event.js";
import { describe, expect, it } from "../helpers/fixtures.js";
import { type OutputOf, spawnBuiltServer } from "../helpers/harness.js";

describe("redeliver_events in --sandbox", () => {
  it("a receiver's 401 points at the sandbox's secret, never at EXA_WEBHOOK_SECRETS", async ({ receiverThat }) => {
    const receiver = await receiverThat(
      () => ({ kind: "answer", status: 401, body: "invalid signature" }),
      "whsec_the_receivers_own_secret",
    );
    const sandbox = await spawnBuiltServer(["--sandbox"]);
    try {
      const created = await sandbox.call("create_webhook", { url: receiver.url, events: ["webset.idle"] });
      expect(created.isError, created.text).toBe(false);
      const webhookId = (created.structured as OutputOf<typeof createWebhookTool>).webhook.id;
      const emitted = await sandbox.call("sandbox_emit_event", { type: "webset.idle", webhookId });
      const eventId = (emitted.structured as OutputOf<typeof sandboxEmitEventTool>).eventId;
      const redelivered = await sandbox.call("redeliver_events", { webhookId, eventIds: [eventId], dryRun: false });
      expect(redelivered.isError, redelivered.text).toBe(false);
      expect(redelivered.structured).toMatchObject({ delivered: 0, failed: 1 });
      expect(redelivered.text).toContain("auth_rejected");
      expect(redelivered.text).toContain("the sandbox's secret for this webhook may not be the one it verifies with");
      expect(redelivered.text).not.toContain("EXA_WEBHOOK_SECRETS");
    } finally {
      await sandbox.close();
    }
  });
});
