// The demo's recovery story in one session, through a real MCP client: diagnose the webhook that went
// inactive (its later events were never attempted) → fix its receiver → plan the redelivery → send it →
// the receiver verifies each signature with the webhook's secret and accepts it. In --sandbox the secret
// comes from the sandbox itself: no secret argument, no EXA_WEBHOOK_SECRETS.
import type { z } from "zod";
import type { webhookDiagnosisSchema } from "../../src/diagnose/types.js";
import type { diagnoseFailuresTool } from "../../src/tools/diagnose-failures.js";
import type { redeliverEventsTool } from "../../src/tools/redeliver-events.js";
import { describe, expect, sandboxTest } from "../helpers/fixtures.js";
import type { OutputOf } from "../helpers/harness.js";

const it = sandboxTest({ seed: "demo" });

type Missed = z.infer<typeof webhookDiagnosisSchema>;

describe("recover the demo's missed events", () => {
  it("diagnose → sandbox_set_receiver → redeliver_events dry run → send: every replay verified and accepted", async ({
    launched: { sandbox, harness },
  }) => {
    const tunnel = sandbox.emulator.store.listWebhooks().find((w) => w.metadata?.name === "local-dev-tunnel");
    const id = tunnel?.id as string;

    const diagnosis = await harness.call("diagnose_failures", { webhookId: id });
    expect(diagnosis.isError, diagnosis.text).toBe(false);
    const found = (diagnosis.structured as OutputOf<typeof diagnoseFailuresTool>).webhooks[0] as Missed;
    expect(found.verdict).toBe("inactive");
    expect(found.events.neverAttempted).toBeGreaterThan(0);
    expect(found.missedEvents.neverAttempted).toHaveLength(Math.min(100, found.events.neverAttempted));
    expect(diagnosis.text.split("\n")[0]).toContain(`${id} (local-dev-tunnel) inactive`);
    expect(diagnosis.text).toContain(`never attempted`);
    expect(diagnosis.text).toContain(`redeliver_events {"webhookId":"${id}","undelivered":true}`);
    expect(Buffer.byteLength(diagnosis.text)).toBeLessThanOrEqual(3072);

    // Fleet mode shows them too.
    const fleet = await harness.call("diagnose_failures", {});
    const inFleet = (fleet.structured as OutputOf<typeof diagnoseFailuresTool>).webhooks.find(
      (w) => w.webhookId === id,
    );
    expect(inFleet?.events.neverAttempted).toBe(found.events.neverAttempted);

    await harness.call("sandbox_set_receiver", { webhookId: id, behavior: "healthy" });
    const plan = await harness.call("redeliver_events", { webhookId: id, undelivered: true });
    expect(plan.isError, plan.text).toBe(false);
    const planned = (plan.structured as OutputOf<typeof redeliverEventsTool>).planned.map((event) => event.eventId);
    expect(planned).toEqual([...found.missedEvents.undelivered, ...found.missedEvents.neverAttempted].slice(0, 100));
    expect(plan.text).toContain("Signed with the sandbox's secret for this webhook");
    expect(plan.text).toContain(`To send: redeliver_events {"webhookId":"${id}","undelivered":true,"dryRun":false}`);

    const sent = await harness.call("redeliver_events", { webhookId: id, undelivered: true, dryRun: false });
    expect(sent.isError, sent.text).toBe(false);
    const output = sent.structured as OutputOf<typeof redeliverEventsTool>;
    expect(output).toMatchObject({ delivered: planned.length, failed: 0 });
    const replays = ((await sandbox.handle.receiverLog(id)) ?? []).filter((entry) => entry.redelivery);
    expect(replays.map((entry) => entry.eventId).sort()).toEqual([...planned].sort());
    expect(replays.every((entry) => entry.signatureValid && entry.accepted)).toBe(true);
  });
});
