// redeliver_events through the built bin over stdio, as a client runs it: the emulator is Exa, and a
// receiver on 127.0.0.1 verifies Exa-Signature with its own HMAC code (test/helpers/receiver.ts).
import type { redeliverEventsTool } from "../../src/tools/redeliver-events.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import { type OutputOf, spawnBuiltServer, TEST_API_KEY } from "../helpers/harness.js";

const SECRET = "whsec_bin_e2e_61f0c3a9b27d";

const it = test.override("receiverSecret", SECRET);

describe("redeliver_events through the built bin", () => {
  it("plans, then sends the undelivered events; the receiver's own check accepts every signature", async ({
    emulator,
    receiver,
  }) => {
    const webhook = emulator.store.createWebhook({ url: receiver.url, events: ["webset.item.created"] });
    expect(webhook.secret).toBeTruthy();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const event = emulator.store.addEvent({ type: "webset.item.created" });
      ids.push(event.id);
      emulator.store.addAttempt({
        webhookId: webhook.id,
        eventId: event.id,
        responseStatusCode: 503,
        responseBody: "down",
      });
    }
    const server = await spawnBuiltServer([], {
      EXA_API_KEY: TEST_API_KEY,
      EXA_BASE_URL: emulator.baseUrl,
      // The receiver got the secret at create, and so does the server; plus one malformed entry.
      EXA_WEBHOOK_SECRETS: `${webhook.id}=${webhook.secret},${SECRET}`,
    });
    try {
      // The receiver verifies with the webhook's real secret.
      receiver.secret = webhook.secret as string;
      const plan = await server.call("redeliver_events", { webhookId: webhook.id, undelivered: true });
      expect(plan.isError, plan.text).toBe(false);
      expect(
        (plan.structured as OutputOf<typeof redeliverEventsTool>).planned.map((event) => event.eventId).sort(),
      ).toEqual([...ids].sort());
      expect(receiver.received).toEqual([]);

      const sent = await server.call("redeliver_events", {
        webhookId: webhook.id,
        undelivered: true,
        dryRun: false,
      });
      expect(sent.isError, sent.text).toBe(false);
      expect(sent.structured).toMatchObject({ delivered: 5, failed: 0, skipped: 0, dryRun: false });
      expect(receiver.received.map((request) => request.eventId).sort()).toEqual([...ids].sort());
      expect(receiver.received.every((request) => request.signatureValid)).toBe(true);
      expect(receiver.received.every((request) => request.headers["exa-redelivery"] === "1")).toBe(true);

      for (const output of [
        plan.text,
        sent.text,
        JSON.stringify(plan.raw),
        JSON.stringify(sent.raw),
        server.stderr(),
      ]) {
        expect(output).not.toContain(webhook.secret);
        expect(output).not.toContain(SECRET);
      }
      expect(server.stderr()).toContain("EXA_WEBHOOK_SECRETS entry 2 is not webhook_id=secret");
    } finally {
      await server.close();
    }
  });
});
