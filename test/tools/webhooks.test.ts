// The five webhook CRUD tools through a real MCP client against the emulator over HTTP.
import type { createWebhookTool } from "../../src/tools/create-webhook.js";
import type { getWebhookTool } from "../../src/tools/get-webhook.js";
import type { listWebhooksTool } from "../../src/tools/list-webhooks.js";
import type { updateWebhookTool } from "../../src/tools/update-webhook.js";
import { type Loss, type Peer, type PeerRequest, startLossyProxy, startPeer } from "../exa/peer.js";
import { describe, expect, it, test } from "../helpers/fixtures.js";
import { type Harness, type OutputOf, startHarness } from "../helpers/harness.js";

describe("create_webhook", () => {
  it("creates a webhook and shows the secret once, in text and structured content", async ({ harness }) => {
    const answer = await harness.call("create_webhook", {
      url: "https://example.com/hooks/exa",
      events: ["webset.item.created", "webset.idle"],
      metadata: { team: "growth" },
    });
    expect(answer.isError).toBe(false);
    const webhook = (answer.structured as OutputOf<typeof createWebhookTool>).webhook;
    expect(webhook.url).toBe("https://example.com/hooks/exa");
    expect(webhook.events).toEqual(["webset.item.created", "webset.idle"]);
    expect(webhook.metadata).toEqual({ team: "growth" });
    expect(typeof webhook.secret).toBe("string");
    expect(answer.text).toContain(String(webhook.secret));
    expect(answer.text).toMatch(/shown only this once/);

    const read = await harness.call("get_webhook", { webhookId: webhook.id });
    expect(read.isError).toBe(false);
    expect(read.text).not.toContain(String(webhook.secret));
    expect(JSON.stringify(read.structured)).not.toContain(String(webhook.secret));
    expect((read.structured as OutputOf<typeof getWebhookTool>).webhook).not.toHaveProperty("secret");
  });

  it("rejects Exa's own wrong sample event name locally, suggesting the valid ones", async ({ harness }) => {
    const before = harness.emulator.requests.length;
    const answer = await harness.call("create_webhook", { url: "https://example.com/h", events: ["webset.completed"] });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain('"webset.completed" (did you mean "webset.idle"?)');
    expect(answer.text).toContain("is not an Exa event type");
    expect(answer.text).toContain("did you mean");
    expect(answer.text).toContain("webset.item.enriched");
    expect(harness.emulator.requests.length).toBe(before);
  });

  it("rejects bad urls, duplicate events, long metadata and unknown fields without calling Exa", async ({
    harness,
  }) => {
    const before = harness.emulator.requests.length;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ url: "ftp://example.com/x", events: ["webset.idle"] }, /http\(s\) URL/],
      [{ url: "not a url", events: ["webset.idle"] }, /http\(s\) URL/],
      [{ url: "https://example.com/x", events: [] }, /at least one event type/],
      [{ url: "https://example.com/x", events: ["webset.idle", "webset.idle"] }, /must not repeat/],
      [{ url: "https://example.com/x", events: ["webset.idle"], metadata: { k: "x".repeat(1001) } }, /1000 characters/],
      [
        { url: "https://example.com/x", events: ["webset.idle"], status: "inactive" },
        /Unknown field "status"\. Valid fields: url, events, metadata/,
      ],
      [{ events: ["webset.idle"] }, /^Invalid input for create_webhook: url is required$/],
    ];
    for (const [args, message] of cases) {
      const answer = await harness.call("create_webhook", args);
      expect(answer.isError, JSON.stringify(args)).toBe(true);
      expect(answer.text).toMatch(message);
    }
    expect(harness.emulator.requests.length).toBe(before);
  });
});

describe("list_webhooks", () => {
  it("says there are none and how to create one", async ({ harness }) => {
    const answer = await harness.call("list_webhooks");
    expect(answer.isError).toBe(false);
    expect(answer.text).toContain("No webhooks yet");
    expect(answer.structured).toEqual({ webhooks: [], hasMore: false, nextCursor: null });
  });

  it("pages across the whole list with the exact next call", async ({ harness }) => {
    const ids = new Set<string>();
    for (let i = 0; i < 7; i++) {
      ids.add(harness.emulator.store.createWebhook({ url: `https://example.com/h${i}`, events: ["webset.idle"] }).id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const answer = await harness.call("list_webhooks", { limit: 3, ...(cursor ? { cursor } : {}) });
      expect(answer.isError).toBe(false);
      const page = answer.structured as OutputOf<typeof listWebhooksTool>;
      seen.push(...page.webhooks.map((webhook) => webhook.id));
      for (const webhook of page.webhooks) expect(answer.text).toContain(webhook.id);
      if (page.hasMore) {
        expect(answer.text).toContain(`Next page: list_webhooks {"limit":3,"cursor":"${page.nextCursor}"}`);
      }
      cursor = page.hasMore ? (page.nextCursor ?? undefined) : undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen)).toEqual(ids);
    expect(seen.length).toBe(7);
  });

  it("validates limit and cursor locally", async ({ harness }) => {
    for (const args of [{ limit: 0 }, { limit: 201 }, { limit: 2.5 }, { cursor: "" }]) {
      const answer = await harness.call("list_webhooks", args);
      expect(answer.isError).toBe(true);
      expect(answer.text).toMatch(/limit must be|cursor must not be empty/);
    }
  });
});

describe("tolerant reading of Exa's answers", () => {
  it("accepts extra fields and metadata that is null or absent", async ({ harness }) => {
    const base = {
      id: "webhook_t",
      status: "active",
      events: ["webset.idle"],
      url: "https://example.com/t",
      secret: null,
      createdAt: "2026-11-01T00:00:00Z",
      updatedAt: "2026-11-01T00:00:00Z",
    };
    harness.emulator.faults.add({
      status: 200,
      body: JSON.stringify({
        data: [
          { ...base, metadata: null, brandNewField: { nested: true } },
          { ...base, id: "webhook_u" },
        ],
        hasMore: false,
        nextCursor: null,
        somethingElse: 1,
      }),
    });
    const answer = await harness.call("list_webhooks");
    expect(answer.isError).toBe(false);
    const webhooks = (answer.structured as OutputOf<typeof listWebhooksTool>).webhooks;
    expect(webhooks.map((webhook) => webhook.id)).toEqual(["webhook_t", "webhook_u"]);
    expect(webhooks[0]).not.toHaveProperty("metadata");
    expect(webhooks[0]).not.toHaveProperty("brandNewField");
  });

  it("a 200 whose shape is wrong is reported with the field, not thrown", async ({ harness }) => {
    harness.emulator.faults.add({ status: 200, body: JSON.stringify({ data: [{ id: 42 }], hasMore: false }) });
    const answer = await harness.call("list_webhooks");
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/unexpected shape .* at data\.0\./);
  });
});

describe("get_webhook, update_webhook, delete_webhook", () => {
  it("reads, updates and deletes a webhook", async ({ harness }) => {
    const created = harness.emulator.store.createWebhook({ url: "https://example.com/old", events: ["webset.idle"] });
    const got = await harness.call("get_webhook", { webhookId: created.id });
    expect(got.text).toContain(created.id);
    expect(got.text).toContain("https://example.com/old");

    const updated = await harness.call("update_webhook", {
      webhookId: created.id,
      url: "https://example.com/new",
      events: ["webset.item.created"],
    });
    expect(updated.isError).toBe(false);
    const webhook = (updated.structured as OutputOf<typeof updateWebhookTool>).webhook;
    expect(webhook.url).toBe("https://example.com/new");
    expect(webhook.events).toEqual(["webset.item.created"]);
    expect(harness.emulator.store.getWebhook(created.id)?.url).toBe("https://example.com/new");

    const deleted = await harness.call("delete_webhook", { webhookId: created.id });
    expect(deleted.isError).toBe(false);
    expect(deleted.text).toContain(`Deleted Webhook ${created.id}`);
    expect(harness.emulator.store.getWebhook(created.id)).toBeUndefined();
  });

  it("update with nothing to change is refused locally", async ({ harness }) => {
    const created = harness.emulator.store.createWebhook({ url: "https://example.com/x", events: ["webset.idle"] });
    const before = harness.emulator.requests.length;
    const answer = await harness.call("update_webhook", { webhookId: created.id });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("nothing to change");
    expect(harness.emulator.requests.length).toBe(before);
  });

  it("404 names the id and points to list_webhooks", async ({ harness }) => {
    for (const tool of ["get_webhook", "update_webhook", "delete_webhook", "list_webhook_attempts"]) {
      const args: Record<string, unknown> = { webhookId: "webhook_missing" };
      if (tool === "update_webhook") args.url = "https://example.com/x";
      const answer = await harness.call(tool, args);
      expect(answer.isError, tool).toBe(true);
      expect(answer.text).toContain("No webhook webhook_missing. Call list_webhooks");
      expect(answer.text).toMatch(/Request id: req_/);
    }
  });

  it("ids that try to escape their path segment never reach another endpoint", async ({ harness }) => {
    const before = harness.emulator.requests.length;
    for (const webhookId of ["../events", "a/b", "..", "x?y=1", "%2e%2e"]) {
      const answer = await harness.call("get_webhook", { webhookId });
      expect(answer.isError, webhookId).toBe(true);
      expect(answer.text).toMatch(/webhookId/);
    }
    expect(harness.emulator.requests.length).toBe(before);
  });
});

describe("writes whose answer was lost report what is known", () => {
  // Each test puts a proxy between the server and the emulator: the write reaches the emulator (so it is
  // applied), then the proxy throws the answer away in the way a flaky network or gateway does.
  const url = "https://example.com/hooks/lossy";

  const it = test
    /**
     * The test's proxy and the harness behind it: `through(lose, env)` starts both (the proxy drops answers as
     * `lose` says), `close()` closes them early; whatever is still open is closed after the test.
     */
    .extend("lossy", async ({ emulator }, { onCleanup }) => {
      const held: { proxy?: Peer; harness?: Harness } = {};
      const close = async () => {
        await held.harness?.close();
        await held.proxy?.close();
        held.harness = undefined;
        held.proxy = undefined;
      };
      onCleanup(close);
      const through = async (
        lose: (request: PeerRequest, index: number) => Loss | undefined,
        env: Record<string, string> = {},
      ): Promise<Harness> => {
        held.proxy = await startLossyProxy(emulator.baseUrl, lose);
        held.harness = await startHarness({ emulator, env: { EXA_BASE_URL: held.proxy.baseUrl, ...env } });
        return held.harness;
      };
      return { held, through, close };
    })
    .extend(
      "writes",
      ({ emulator }) =>
        (method: string) =>
          emulator.requests.filter((request) => request.method === method),
    )
    .extend(
      "seedWebhook",
      ({ emulator }) =>
        () =>
          emulator.store.createWebhook({ url, events: ["webset.idle"] }).id,
    );

  it("update whose every answer is lost says it may have been applied and names get_webhook", async ({
    emulator,
    lossy: { through: throughProxy },
    seedWebhook,
  }) => {
    const id = seedWebhook();
    const client = await throughProxy((request) => (request.method === "PATCH" ? "reset" : undefined));
    const answer = await client.call("update_webhook", { webhookId: id, events: ["webset.item.created"] });
    expect(answer.isError).toBe(true);
    expect(emulator.store.getWebhook(id)?.events).toEqual(["webset.item.created"]);
    expect(answer.text).toContain("update_webhook may have been applied");
    expect(answer.text).toContain(`Call get_webhook {"webhookId":"${id}"}`);
    expect(answer.text).not.toContain("Retry later");
  });

  it("update answered 503 after it landed says it may have been applied, with the request id", async ({
    lossy: { through: throughProxy },
    seedWebhook,
  }) => {
    const id = seedWebhook();
    const client = await throughProxy((request) => (request.method === "PATCH" ? { status: 503 } : undefined));
    const answer = await client.call("update_webhook", { webhookId: id, url: "https://example.com/other" });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("update_webhook may have been applied");
    expect(answer.text).toContain("HTTP 503");
    expect(answer.text).toContain(`get_webhook {"webhookId":"${id}"}`);
    expect(answer.text).toContain("Request id: req_lossy_proxy");
    expect(answer.text).not.toContain("Retry later");
  });

  it("create whose answer is lost warns of a duplicate, names list_webhooks and the url, and sends one POST", async ({
    emulator,
    lossy: { through: throughProxy, close: closeProxy },
    writes,
  }) => {
    for (const loss of ["reset", { status: 502 }, "hang"] as const) {
      const before = writes("POST").length;
      // Only the hang needs a short timeout to end; with a short one for the others, a loaded machine could
      // turn the reset or the 502 under test into a timeout.
      const client = await throughProxy((request) => (request.method === "POST" ? loss : undefined), {
        EXA_TIMEOUT_MS: loss === "hang" ? "300" : "30000",
      });
      const answer = await client.call("create_webhook", { url, events: ["webset.idle"] });
      expect(answer.isError, JSON.stringify(loss)).toBe(true);
      expect(answer.text).toContain("create_webhook may have created the webhook");
      expect(answer.text).toContain(`Call list_webhooks and look for ${url}`);
      expect(answer.text).toContain("duplicate");
      expect(writes("POST").length - before).toBe(1);
      await closeProxy();
    }
    expect(emulator.store.listWebhooks()).toHaveLength(3);
  });

  it("create answered 2xx with an unreadable body says the webhook was probably created", async ({
    lossy: { through: throughProxy },
  }) => {
    const client = await throughProxy((request) =>
      request.method === "POST" ? { status: 201, body: "<html>ok</html>", contentType: "text/html" } : undefined,
    );
    const answer = await client.call("create_webhook", { url, events: ["webset.idle"] });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("was probably applied");
    expect(answer.text).toContain(`Call list_webhooks and look for ${url}`);
  });

  it("delete whose first answer is lost and whose retry gets 404 reports the delete as done", async ({
    lossy: { through: throughProxy },
    writes,
    seedWebhook,
  }) => {
    const id = seedWebhook();
    let deletes = 0;
    const client = await throughProxy((request) =>
      request.method === "DELETE" && deletes++ === 0 ? "reset" : undefined,
    );
    const answer = await client.call("delete_webhook", { webhookId: id });
    expect(answer.isError).toBe(false);
    expect(answer.text).toContain(`Deleted webhook ${id} (the first request was applied`);
    expect(answer.text).not.toContain("No webhook");
    expect(answer.structured).toMatchObject({ confirmed: "retry" });
    expect(writes("DELETE")).toHaveLength(2);
  });

  it("delete whose every answer is lost says it may have been deleted and names get_webhook", async ({
    lossy: { through: throughProxy },
    seedWebhook,
  }) => {
    const id = seedWebhook();
    const client = await throughProxy((request) => (request.method === "DELETE" ? { status: 500 } : undefined));
    const answer = await client.call("delete_webhook", { webhookId: id });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("delete_webhook may have been applied");
    expect(answer.text).toContain(`get_webhook {"webhookId":"${id}"}`);
  });

  it("a 204 or an empty 200 to DELETE is a successful delete", async ({
    emulator,
    lossy: { through: throughProxy, close: closeProxy },
    seedWebhook,
  }) => {
    for (const status of [204, 200]) {
      const id = seedWebhook();
      const client = await throughProxy((request) =>
        request.method === "DELETE" ? { status, body: "", contentType: "text/plain" } : undefined,
      );
      const answer = await client.call("delete_webhook", { webhookId: id });
      expect(answer.isError, String(status)).toBe(false);
      expect(answer.text).toContain(`Deleted webhook ${id}`);
      expect(answer.structured).toMatchObject({ confirmed: "2xx" });
      expect(emulator.store.getWebhook(id)).toBeUndefined();
      await closeProxy();
    }
  });

  it("a 200 PATCH whose body shows the old values says which fields did not change", async ({ emulator, lossy }) => {
    const id = emulator.store.createWebhook({ url, events: ["webset.idle"], metadata: { team: "a" } }).id;
    // The upstream answers 200 with the webhook as it was: the proxy never lets the PATCH through.
    lossy.held.proxy = await startPeer(async (request, res) => {
      const webhook = emulator.store.getWebhook(id);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(request.method === "PATCH" ? { ...webhook, object: "webhook" } : webhook));
    });
    lossy.held.harness = await startHarness({ emulator, env: { EXA_BASE_URL: lossy.held.proxy.baseUrl } });
    const answer = await lossy.held.harness.call("update_webhook", {
      webhookId: id,
      events: ["webset.item.created"],
      url,
      metadata: { team: "b" },
    });
    expect(answer.isError).toBe(false);
    expect(answer.text).toMatch(/^Exa answered update_webhook without applying every change: events, metadata/);
    expect(answer.text).toContain(`get_webhook {"webhookId":"${id}"}`);
    expect(answer.text).not.toMatch(/^Updated/);
    expect(answer.structured).toMatchObject({ unchanged: ["events", "metadata"] });
  });

  it("a PATCH that is applied reports no unchanged fields", async ({
    lossy: { through: throughProxy },
    seedWebhook,
  }) => {
    const id = seedWebhook();
    const client = await throughProxy(() => undefined);
    const answer = await client.call("update_webhook", { webhookId: id, events: ["webset.item.created"] });
    expect(answer.text).toMatch(/^Updated Webhook/);
    expect(answer.structured).toMatchObject({ unchanged: [] });
  });
});
