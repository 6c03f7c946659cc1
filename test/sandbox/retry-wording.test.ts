// diagnose_failures on the sandbox speaks of retries by the sandbox's own schedule, which it knows: "Exa may
// still be retrying" an hour long was untrue once the sandbox's five quick attempts were over.
import type { createWebhookTool } from "../../src/tools/create-webhook.js";
import { describe, expect, sandboxTest } from "../helpers/fixtures.js";
import type { OutputOf } from "../helpers/harness.js";
import { answering } from "../helpers/receiver.js";
import { quietFor } from "../helpers/wait.js";

/** The long last wait keeps the first diagnosis inside the schedule's reach, even on a loaded machine. */
const RETRY_DELAYS_MS = [20, 2_000];
const TIMEOUT_MS = 300;
/** The latest a retry can follow a failed attempt's start: its timeout plus the longest wait. */
const REACH_MS = TIMEOUT_MS + 2_000;

const it = sandboxTest({ seed: "empty", retryDelaysMs: RETRY_DELAYS_MS, deliveryTimeoutMs: TIMEOUT_MS }).extend(
  "failing",
  ({ receiverThat }) => receiverThat(answering(() => 500)),
);

describe("diagnose_failures on the sandbox, about retries", () => {
  it("says the sandbox may still retry while its schedule allows, and nothing once it has given up", async ({
    launched: { sandbox, harness },
    failing,
  }) => {
    const created = await harness.call("create_webhook", { url: failing.url, events: ["webset.created"] });
    const webhookId = (created.structured as OutputOf<typeof createWebhookTool>).webhook.id;
    await harness.call("sandbox_emit_event", { type: "webset.created", webhookId });
    await expect.poll(() => sandbox.emulator.store.listAttempts(webhookId).length).toBeGreaterThan(0);

    const during = await harness.call("diagnose_failures", { webhookId });
    expect(during.text).toContain(
      `1 failure newer than ${REACH_MS / 1000} s: the sandbox may still retry them (3 attempts in all, 0.02, 2 s apart)`,
    );
    expect(during.text).not.toContain("Exa may still be retrying");

    await sandbox.engine.idle();
    expect(sandbox.emulator.store.listAttempts(webhookId)).toHaveLength(3);
    // Past the reach of any retry, measured from the last attempt's start.
    await quietFor(REACH_MS + 50);
    const after = await harness.call("diagnose_failures", { webhookId });
    expect(after.text).toContain("Recover 1 missed event (1 undelivered, 0 never attempted)");
    expect(after.text).not.toContain("may still");
  });
});
