// The recovery loop through the built bin and a real MCP client, on a SQLite file and on PostgreSQL: diagnose
// crm-sync (18 of 18 undelivered) → sandbox_set_receiver healthy → plan → send → diagnose says 0 outstanding →
// a second plan sends nothing. The sandbox defaults to memory, so the store is named with --store.
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { WebhookDiagnosis as Diagnosis } from "../../src/diagnose/types.js";
import type { RedeliveryOutput as Redelivery } from "../../src/redeliver/schema.js";
import type { diagnoseFailuresTool } from "../../src/tools/diagnose-failures.js";
import type { ClientSession, OutputOf } from "../helpers/harness.js";
import { spawnBuiltServer } from "../helpers/harness.js";
import { cleanupEngines, freshPostgresUrl, NO_POSTGRES_MESSAGE, TEST_POSTGRES, tempDir } from "../store/engines.js";

afterAll(cleanupEngines);

async function crmSync(server: ClientSession): Promise<Diagnosis> {
  const fleet = await server.call("diagnose_failures", {});
  const webhooks = (fleet.structured as OutputOf<typeof diagnoseFailuresTool>).webhooks;
  const found = webhooks.find((w) => fleet.text.includes(`${w.webhookId} (crm-sync)`));
  if (!found) throw new Error(`no crm-sync in: ${fleet.text}`);
  return found;
}

async function story(store: string) {
  const server = await spawnBuiltServer(["--sandbox", "--store", store]);
  try {
    const { webhookId } = await crmSync(server);
    const before = await server.call("diagnose_failures", { webhookId });
    const diagnosed = (before.structured as OutputOf<typeof diagnoseFailuresTool>).webhooks[0] as Diagnosis;
    expect(diagnosed.events).toMatchObject({ undelivered: 18, total: 18 });
    expect(diagnosed.missedEvents).toMatchObject({ recovered: [], outstanding: 18 });
    expect(before.text).toContain("18 of 18 events undelivered");
    expect(before.text).toContain(`redeliver_events {"webhookId":"${webhookId}","undelivered":true}`);

    await server.call("sandbox_set_receiver", { webhookId, behavior: "healthy" });
    const plan = await server.call("redeliver_events", { webhookId, undelivered: true });
    expect(plan.isError, plan.text).toBe(false);
    const planned = (plan.structured as unknown as Redelivery).planned.map((event) => event.eventId);
    expect(planned.sort()).toEqual([...diagnosed.missedEvents.undelivered].sort());

    const sent = await server.call("redeliver_events", { webhookId, undelivered: true, dryRun: false });
    expect(sent.isError, sent.text).toBe(false);
    expect(sent.structured).toMatchObject({ delivered: 18, failed: 0, remembered: true });

    const after = await server.call("diagnose_failures", { webhookId });
    const folded = (after.structured as OutputOf<typeof diagnoseFailuresTool>).webhooks[0] as Diagnosis;
    // The verdict is Exa's own attempts': still failing until Exa's next delivery succeeds.
    expect(folded.verdict).toBe("failing");
    expect(folded.missedEvents.outstanding).toBe(0);
    expect([...(folded.missedEvents.recovered ?? [])].sort()).toEqual([...planned].sort());
    expect(after.text).toMatch(
      /Exa's 90\/90 attempts failed \(100%\); 18 missed events: 18 recovered by redelivery at \S+ \(2xx\), 0 outstanding/,
    );
    expect(after.text).toContain("nothing outstanding to redeliver");
    expect(after.text).not.toContain('"undelivered":true}');

    const again = await server.call("redeliver_events", { webhookId, undelivered: true });
    const second = again.structured as unknown as Redelivery;
    expect(second.planned).toEqual([]);
    expect(second.alreadyDelivered.map((event) => event.eventId).sort()).toEqual([...planned].sort());
    expect(again.text).toContain("Nothing outstanding: the 18 missed events a fresh diagnosis found");
    const resend = await server.call("redeliver_events", { webhookId, undelivered: true, dryRun: false });
    expect(resend.structured).toMatchObject({ delivered: 0, failed: 0 });
  } finally {
    await server.close();
  }
}

describe("diagnose → fix → plan → send → diagnose: 0 outstanding → a second plan sends nothing", () => {
  it("on a SQLite file", async () => {
    await story(join(tempDir(), "state.db"));
  });

  it("on PostgreSQL", async () => {
    if (!TEST_POSTGRES) throw new Error(NO_POSTGRES_MESSAGE);
    await story(await freshPostgresUrl(TEST_POSTGRES));
  });
});
