// The five webhook CRUD tools through a real MCP client against the emulator over HTTP.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/harness.js";

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.close();
});

describe("create_webhook", () => {
  it("creates a webhook and shows the secret once, in text and structured content", async () => {
    const answer = await harness.call("create_webhook", {
      url: "https://example.com/hooks/exa",
      events: ["webset.item.created", "webset.idle"],
      metadata: { team: "growth" },
    });
    expect(answer.isError).toBe(false);
    const webhook = (answer.structured as { webhook: Record<string, unknown> }).webhook;
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
    expect((read.structured as { webhook: Record<string, unknown> }).webhook).not.toHaveProperty("secret");
  });

  it("rejects Exa's own wrong sample event name locally, suggesting the valid ones", async () => {
    const before = harness.emulator.requests.length;
    const answer = await harness.call("create_webhook", { url: "https://example.com/h", events: ["webset.completed"] });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain('"webset.completed" (did you mean "webset.idle"?)');
    expect(answer.text).toContain("is not an Exa event type");
    expect(answer.text).toContain("did you mean");
    expect(answer.text).toContain("webset.item.enriched");
    expect(harness.emulator.requests.length).toBe(before);
  });

  it("rejects bad urls, duplicate events, long metadata and unknown fields without calling Exa", async () => {
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
  it("says there are none and how to create one", async () => {
    const answer = await harness.call("list_webhooks");
    expect(answer.isError).toBe(false);
    expect(answer.text).toContain("No webhooks yet");
    expect(answer.structured).toEqual({ webhooks: [], hasMore: false, nextCursor: null });
  });

  it("pages across the whole list with the exact next call", async () => {
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
      const page = answer.structured as { webhooks: { id: string }[]; hasMore: boolean; nextCursor: string | null };
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

  it("validates limit and cursor locally", async () => {
    for (const args of [{ limit: 0 }, { limit: 201 }, { limit: 2.5 }, { cursor: "" }]) {
      const answer = await harness.call("list_webhooks", args);
      expect(answer.isError).toBe(true);
      expect(answer.text).toMatch(/limit must be|cursor must not be empty/);
    }
  });
});

describe("tolerant reading of Exa's answers", () => {
  it("accepts extra fields and metadata that is null or absent", async () => {
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
    const webhooks = (answer.structured as { webhooks: Record<string, unknown>[] }).webhooks;
    expect(webhooks.map((webhook) => webhook.id)).toEqual(["webhook_t", "webhook_u"]);
    expect(webhooks[0]).not.toHaveProperty("metadata");
    expect(webhooks[0]).not.toHaveProperty("brandNewField");
  });

  it("a 200 whose shape is wrong is reported with the field, not thrown", async () => {
    harness.emulator.faults.add({ status: 200, body: JSON.stringify({ data: [{ id: 42 }], hasMore: false }) });
    const answer = await harness.call("list_webhooks");
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/unexpected shape .* at data\.0\./);
  });
});

describe("get_webhook, update_webhook, delete_webhook", () => {
  it("reads, updates and deletes a webhook", async () => {
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
    const webhook = (updated.structured as { webhook: { url: string; events: string[] } }).webhook;
    expect(webhook.url).toBe("https://example.com/new");
    expect(webhook.events).toEqual(["webset.item.created"]);
    expect(harness.emulator.store.getWebhook(created.id)?.url).toBe("https://example.com/new");

    const deleted = await harness.call("delete_webhook", { webhookId: created.id });
    expect(deleted.isError).toBe(false);
    expect(deleted.text).toContain(`Deleted Webhook ${created.id}`);
    expect(harness.emulator.store.getWebhook(created.id)).toBeUndefined();
  });

  it("update with nothing to change is refused locally", async () => {
    const created = harness.emulator.store.createWebhook({ url: "https://example.com/x", events: ["webset.idle"] });
    const before = harness.emulator.requests.length;
    const answer = await harness.call("update_webhook", { webhookId: created.id });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("nothing to change");
    expect(harness.emulator.requests.length).toBe(before);
  });

  it("404 names the id and points to list_webhooks", async () => {
    for (const tool of ["get_webhook", "update_webhook", "delete_webhook", "list_webhook_attempts"]) {
      const args: Record<string, unknown> = { webhookId: "webhook_missing" };
      if (tool === "update_webhook") args.url = "https://example.com/x";
      const answer = await harness.call(tool, args);
      expect(answer.isError, tool).toBe(true);
      expect(answer.text).toContain("No webhook webhook_missing. Call list_webhooks");
      expect(answer.text).toMatch(/Request id: req_/);
    }
  });

  it("ids that try to escape their path segment never reach another endpoint", async () => {
    const before = harness.emulator.requests.length;
    for (const webhookId of ["../events", "a/b", "..", "x?y=1", "%2e%2e"]) {
      const answer = await harness.call("get_webhook", { webhookId });
      expect(answer.isError, webhookId).toBe(true);
      expect(answer.text).toMatch(/webhookId/);
    }
    expect(harness.emulator.requests.length).toBe(before);
  });
});
