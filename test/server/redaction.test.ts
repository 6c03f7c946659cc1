// The API key and webhook secrets never leave the server, in any channel: a peer that echoes the key into
// every field (webhook id/url/metadata, attempt bodies, event data, error bodies) gets "[redacted]" back in
// tool text, structuredContent (keys and values), resources, resource errors and logging notifications.
import { loadConfig } from "../../src/config.js";
import { ConfigError } from "../../src/errors.js";
import type { createWebhookTool } from "../../src/tools/create-webhook.js";
import type { getWebhookTool } from "../../src/tools/get-webhook.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import { type OutputOf, startHarness, TEST_API_KEY } from "../helpers/harness.js";

const KEY = TEST_API_KEY;
const HOUR = 3_600_000;

/** Neither the key nor any 10-character piece of it (a cut excerpt) appears anywhere in `output`. */
function expectNoKey(output: unknown, secret = KEY): void {
  const json = JSON.stringify(output);
  for (let i = 0; i + 10 <= secret.length; i++) expect(json).not.toContain(secret.slice(i, i + 10));
}

const it = test
  /**
   * Every test's account echoes the key everywhere: a webhook, an event and four attempts carrying it; the
   * client takes every log level, and no log message may carry the key.
   */
  .extend("seeded", { auto: true }, async ({ harness }, { onCleanup }) => {
    await harness.client.setLoggingLevel("debug");
    onCleanup(() => expectNoKey(harness.logs));
    const store = harness.emulator.store;
    const now = Date.now();
    const webhookId = store.createWebhook({
      id: `wh_${KEY}`,
      url: `https://example.com/hooks/${KEY}?k=${encodeURIComponent(KEY)}`,
      events: ["webset.idle"],
      metadata: { [KEY]: KEY, note: `key is ${KEY}` },
    }).id;
    const eventId = store.addEvent({
      id: `ev_${KEY}`,
      type: "webset.idle",
      data: { id: KEY, object: KEY, [KEY]: { nested: [KEY, `"${KEY}"`] } },
      createdAt: now - 2 * HOUR,
    }).id;
    store.addAttempts([
      {
        webhookId,
        eventId,
        responseStatusCode: 401,
        responseBody: `invalid key ${KEY}`,
        attemptedAt: now - HOUR,
      },
      // The text cuts bodies at 100 characters and the structure at 500: the key straddles both cuts.
      {
        webhookId,
        eventId,
        responseStatusCode: 500,
        responseBody: `${"x".repeat(92)}${KEY}`,
        attemptedAt: now - HOUR + 1000,
      },
      {
        webhookId,
        eventId,
        responseStatusCode: 502,
        responseBody: `${"y".repeat(488)}${KEY}`,
        attemptedAt: now - HOUR + 2000,
      },
      // Hidden by a zero-width space that the untrusted-text cleaning removes: still caught.
      {
        webhookId,
        eventId,
        responseStatusCode: 503,
        responseBody: `${KEY.slice(0, 5)}\u200b${KEY.slice(5)}`,
        attemptedAt: now - HOUR + 3000,
      },
    ]);
    return { webhookId, eventId };
  })
  .extend("webhookId", async ({ seeded }) => seeded.webhookId)
  .extend("eventId", async ({ seeded }) => seeded.eventId)
  /** Reads a resource, checking it and any error for the key; an error comes back as "error: …". */
  .extend("readResource", async ({ harness }) => async (uri: string): Promise<string> => {
    try {
      const read = await harness.readResource(uri);
      expectNoKey(read);
      return String((read.contents[0] as { text?: string }).text);
    } catch (error) {
      expectNoKey(String(error));
      return `error: ${String(error)}`;
    }
  });

describe("the API key is redacted in every channel", () => {
  it("tool text and structuredContent of every read tool, keys and values", async ({ harness, webhookId, eventId }) => {
    const answers = [
      await harness.call("list_webhooks"),
      await harness.call("get_webhook", { webhookId }),
      await harness.call("list_webhook_attempts", { webhookId }),
      await harness.call("list_events"),
      await harness.call("get_event", { eventId }),
      await harness.call("get_event", { eventId, responseFormat: "detailed" }),
      await harness.call("diagnose_failures", { webhookId }),
      await harness.call("diagnose_failures", {}),
    ];
    for (const answer of answers) {
      expect(answer.isError, answer.text).toBe(false);
      expectNoKey(answer.raw);
      expect(JSON.stringify(answer.raw)).toContain("[redacted]");
    }
    const structured = answers[1]?.structured as OutputOf<typeof getWebhookTool> | undefined;
    expect(Object.keys(structured?.webhook.metadata ?? {})).toContain("[redacted]");
  });

  it("error text built from an error body that echoes the key", async ({ harness }) => {
    harness.emulator.faults.add({ status: 400, body: JSON.stringify({ message: `bad key ${KEY}` }) });
    const answer = await harness.call("get_webhook", { webhookId: "wh_other" });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("bad key [redacted]");
    expectNoKey(answer.raw);
  });

  it("a diagnosis cut short by a failing partition: the incompleteReason", async ({ harness, webhookId }) => {
    harness.emulator.faults.add({
      path: "/attempts",
      status: 400,
      times: Number.POSITIVE_INFINITY,
      body: JSON.stringify({ message: `rejected ${KEY}` }),
    });
    const answer = await harness.call("diagnose_failures", { webhookId });
    expect(JSON.stringify(answer.structured)).toContain("rejected [redacted]");
    expectNoKey(answer.raw);
  });

  it("resources and resource errors", async ({ harness, webhookId, readResource }) => {
    expect(await readResource("exa-webhooks://webhooks")).toContain("[redacted]");
    expect(await readResource(`exa-webhooks://webhooks/${webhookId}`)).toContain("[redacted]");
    harness.emulator.faults.add({ status: 400, body: JSON.stringify({ message: `bad key ${KEY}` }) });
    expect(await readResource("exa-webhooks://webhooks")).toMatch(/^error: .*bad key \[redacted\]/);
  });

  it("logging notifications", async ({ harness, webhookId }) => {
    harness.emulator.faults.add({ status: 503 });
    await harness.call("get_webhook", { webhookId });
    await harness.call("diagnose_failures", {});
    await expect.poll(() => JSON.stringify(harness.logs), { timeout: 500, interval: 10 }).toContain("diagnosed");
    expect(JSON.stringify(harness.logs)).toContain("Retrying GET /webhooks/wh_[redacted]");
    expect(JSON.stringify(harness.logs)).toContain("diagnosed wh_[redacted]");
  });
});

describe("webhook secrets appear only in create_webhook's response", () => {
  it("a secret echoed back later by the peer is redacted everywhere else", async ({ harness, readResource }) => {
    const created = await harness.call("create_webhook", { url: "https://example.com/new", events: ["webset.idle"] });
    // Optional in the schema (only create shows it): "" fails the length check as a missing secret would.
    const { id, secret = "" } = (created.structured as OutputOf<typeof createWebhookTool>).webhook;
    expect(secret.length).toBeGreaterThan(10);
    expect(created.text).toContain(secret);
    const store = harness.emulator.store;
    store.updateWebhook(id, { url: `https://example.com/${secret}`, metadata: { secret } });
    store.addAttempt({
      webhookId: id,
      eventType: "webset.idle",
      responseStatusCode: 401,
      responseBody: `bad signature for ${secret}`,
    });
    const later = [
      await harness.call("get_webhook", { webhookId: id }),
      await harness.call("list_webhooks"),
      await harness.call("list_webhook_attempts", { webhookId: id }),
      await harness.call("diagnose_failures", { webhookId: id }),
    ];
    for (const answer of later) {
      expectNoKey(answer.raw, secret);
      expect(JSON.stringify(answer.raw)).toContain("[redacted]");
    }
    expectNoKey(await readResource(`exa-webhooks://webhooks/${id}`), secret);
    expectNoKey(harness.logs, secret);
  });
});

describe("a signing secret echoed back in another spelling", () => {
  it("lower-case percent, JSON \\/, HTML entities and base64 are redacted in text and structuredContent", async () => {
    const secret = "whsec_Q1/r+Zz9w/Kk8pL2mN==";
    const own = await startHarness({ env: { EXA_WEBHOOK_SECRETS: `wh_echo=${secret}` } });
    try {
      const hex = (c: string) => (c.codePointAt(0) ?? 0).toString(16).padStart(2, "0");
      const echoes = {
        percent: [...secret].map((c) => `%${hex(c)}`).join(""),
        json: JSON.stringify({ secret }).replace(/\//g, "\\/"),
        entities: [...secret].map((c) => `&#${c.codePointAt(0)};`).join(""),
        base64: `Basic ${Buffer.from(`user:${secret}`).toString("base64")}`,
      };
      const store = own.emulator.store;
      store.createWebhook({ id: "wh_echo", url: "https://example.com/hook", events: ["webset.idle"] });
      for (const [index, body] of Object.values(echoes).entries()) {
        store.addAttempt({
          webhookId: "wh_echo",
          eventType: "webset.idle",
          responseStatusCode: 400 + index,
          responseBody: body,
        });
      }
      const answers = [
        await own.call("list_webhook_attempts", { webhookId: "wh_echo" }),
        await own.call("diagnose_failures", { webhookId: "wh_echo" }),
      ];
      for (const answer of answers) {
        expect(answer.isError, answer.text).toBe(false);
        const sent = JSON.stringify(answer.raw);
        for (const echo of Object.values(echoes)) expect(sent).not.toContain(echo.slice(-12));
        expect(sent).toContain("[redacted]");
      }
    } finally {
      await own.close();
    }
  });
});

describe("short keys", () => {
  it("a key under 4 characters is refused at start, saying why", () => {
    expect(() => loadConfig({ EXA_API_KEY: "abc" })).toThrow(ConfigError);
    expect(() => loadConfig({ EXA_API_KEY: "abc" })).toThrow(/EXA_API_KEY is 3 characters long/);
  });

  it("a 4-character key is still redacted", async () => {
    const short = await startHarness({ env: { EXA_API_KEY: "k9Zq" } });
    try {
      short.emulator.store.createWebhook({ url: "https://example.com/k9Zq", events: ["webset.idle"] });
      const answer = await short.call("list_webhooks");
      expect(JSON.stringify(answer.raw)).not.toContain("k9Zq");
      expect(answer.text).toContain("https://example.com/[redacted]");
    } finally {
      await short.close();
    }
  });
});
