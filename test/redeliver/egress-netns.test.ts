// issue 18 §1 as an attacker tried it, through the built bin (run by test/net/netns.test.ts under
// `unshare -n`, with private, CGNAT, link-local and public addresses on lo): anyone with an Exa key creates a
// webhook at such a URL and asks redeliver_events to send there. Served beyond loopback, the server must
// open no connection to its own loopback (any spelling), private or link-local addresses; on stdio, private
// needs EXA_WEBHOOKS_ALLOW_PRIVATE_TARGETS and link-local is never sent to. A receiver listens at every
// refused address and counts the connections that reach it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import { AUTH_TOKEN, connectHosted } from "../e2e/hosting-helpers.js";
import { builtBin, type RunningBin, spawnBuiltServer, startBin, TEST_API_KEY } from "../helpers/harness.js";
import { type Receiver, startReceiver } from "../helpers/receiver.js";

const INSIDE_NETNS = process.env.EXA_TEST_NETNS === "1";
const SECRET = "whsec_egress_netns_7c2d91e4";
const FLAG = "EXA_WEBHOOKS_ALLOW_PRIVATE_TARGETS";

let emulator: Emulator;
const receivers: Receiver[] = [];
async function receiverAt(host: string): Promise<Receiver> {
  const receiver = await startReceiver(SECRET, undefined, { host });
  receivers.push(receiver);
  return receiver;
}

/** A webhook at `url` with one event it missed; returns what redeliver_events needs. */
function webhookAt(url: string) {
  const webhook = emulator.store.createWebhook({ url, events: ["webset.item.created"] });
  const event = emulator.store.addEvent({ type: "webset.item.created" });
  return { webhookId: webhook.id, eventIds: [event.id], dryRun: false, secret: SECRET };
}

describe.runIf(INSIDE_NETNS)("redeliver_events against the egress guard, through the built bin", () => {
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await emulator.close();
  });

  describe("served beyond loopback (--http --host 0.0.0.0)", () => {
    let hosted: RunningBin;
    beforeAll(async () => {
      hosted = await startBin(
        builtBin(["--http", "--host", "0.0.0.0", "--port", "0"], {
          EXA_API_KEY: TEST_API_KEY,
          EXA_BASE_URL: emulator.baseUrl,
          MCP_AUTH_TOKEN: AUTH_TOKEN,
          // The flag does not open private targets to a server other machines call.
          [FLAG]: "1",
        }),
      );
    });
    afterAll(async () => {
      await hosted.stop();
    });

    it("opens no connection to a private, CGNAT, link-local or metadata address, naming its class", async () => {
      const client = await connectHosted(hosted.url, { token: AUTH_TOKEN });
      try {
        for (const [address, named] of [
          ["10.0.0.5", "a private address"],
          ["172.16.0.5", "a private address"],
          ["192.168.1.5", "a private address"],
          ["100.64.0.5", "a carrier-grade NAT address"],
          ["169.254.169.254", "a link-local address"],
        ] as const) {
          const receiver = await receiverAt(address);
          const answer = await client.call("redeliver_events", webhookAt(receiver.url));
          expect(answer.isError, answer.text).toBe(true);
          expect(answer.text).toContain(named);
          expect(answer.text).toContain("Nothing was sent.");
          expect(answer.text).not.toContain("receiver said");
          expect(receiver.connections, address).toBe(0);
        }
      } finally {
        await client.close();
      }
    });

    it("opens no connection to its own loopback, in any spelling or through a name", async () => {
      // Dual-stack on every address of lo: whatever a spelling reaches on this host, it is counted here.
      const internal = await receiverAt("::");
      const port = new URL(internal.url).port;
      const client = await connectHosted(hosted.url, { token: AUTH_TOKEN });
      try {
        for (const host of [
          "[::ffff:127.0.0.1]",
          "0.0.0.0",
          "[::]",
          "2130706433",
          "0x7f000001",
          "127.1",
          "[::1]",
          "localhost",
        ]) {
          const answer = await client.call("redeliver_events", webhookAt(`http://${host}:${port}/hook`));
          expect(answer.isError, `${host}: ${answer.text}`).toBe(true);
          expect(answer.text, host).toMatch(/loopback address|the unspecified address/);
          expect(answer.text, host).toContain("Nothing was sent.");
        }
        expect(internal.connections).toBe(0);
      } finally {
        await client.close();
      }
    });

    it("still delivers to a public address, signed", async () => {
      const receiver = await receiverAt("1.2.3.4");
      const client = await connectHosted(hosted.url, { token: AUTH_TOKEN });
      try {
        const answer = await client.call("redeliver_events", webhookAt(receiver.url));
        expect(answer.isError, answer.text).toBe(false);
        expect(answer.structured).toMatchObject({ delivered: 1, failed: 0 });
        expect(receiver.received.map((request) => request.signatureValid)).toEqual([true]);
        expect(receiver.connections).toBe(1);
      } finally {
        await client.close();
      }
    });
  });

  describe("on stdio", () => {
    it("sends to a private address only with the flag, which the refusal names; never to link-local", async () => {
      const privateReceiver = await receiverAt("10.0.0.5");
      const metadata = await receiverAt("169.254.169.254");
      const env = { EXA_API_KEY: TEST_API_KEY, EXA_BASE_URL: emulator.baseUrl };
      const plain = await spawnBuiltServer([], env);
      try {
        const refused = await plain.call("redeliver_events", webhookAt(privateReceiver.url));
        expect(refused.isError).toBe(true);
        expect(refused.text).toContain("10.0.0.5 is a private address");
        expect(refused.text).toContain(`Set ${FLAG}=1`);
        expect(privateReceiver.connections).toBe(0);
      } finally {
        await plain.close();
      }
      const flagged = await spawnBuiltServer([], { ...env, [FLAG]: "1" });
      try {
        const sent = await flagged.call("redeliver_events", webhookAt(privateReceiver.url));
        expect(sent.isError, sent.text).toBe(false);
        expect(sent.structured).toMatchObject({ delivered: 1 });
        expect(privateReceiver.connections).toBe(1);
        const never = await flagged.call(
          "redeliver_events",
          webhookAt(`${metadata.url.replace("/webhooks/exa", "")}/latest/meta-data/`),
        );
        expect(never.isError).toBe(true);
        expect(never.text).toContain("where cloud metadata services answer");
        expect(never.text).toContain("never sent to, whatever the settings");
        expect(metadata.connections).toBe(0);
      } finally {
        await flagged.close();
      }
    });
  });
});
