// Both protocol generations from one server, driven by the SDK's v2 client: a 2026-07-28 client (server/discover,
// stateless requests) and 2025 clients (initialize, 2025-11-25 and 2025-06-18), and the conventions every
// client relies on: tool order and titles, server identity, logging as asked, increasing progress, output
// schemas a client can validate with, resource-not-found, completions.
import { LOG_LEVEL_META_KEY, ProtocolError } from "@modelcontextprotocol/client";
import { TOOL_NAMES } from "../../src/tools/catalog.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import { type Harness, type HarnessOptions, startHarness } from "../helpers/harness.js";

/** `open(options)`: a harness with these options, closed after the test. */
// biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
const it = test.extend("open", async ({}, { onCleanup }) => {
  const harnesses: Harness[] = [];
  onCleanup(async () => {
    for (const harness of harnesses.splice(0)) await harness.close();
  });
  return async (options: HarnessOptions = {}): Promise<Harness> => {
    const harness = await startHarness(options);
    harnesses.push(harness);
    return harness;
  };
});

const CLIENTS: [string, HarnessOptions, "modern" | "legacy", string][] = [
  ["a 2026-07-28 client (version negotiation)", { connection: "http-auto" }, "modern", "2026-07-28"],
  [
    "a 2025-11-25 client",
    { connection: "http-legacy", client: { supportedProtocolVersions: ["2025-11-25"] } },
    "legacy",
    "2025-11-25",
  ],
  [
    "a 2025-06-18 client",
    { connection: "http-legacy", client: { supportedProtocolVersions: ["2025-06-18"] } },
    "legacy",
    "2025-06-18",
  ],
];

describe("one server, both protocol generations (Streamable HTTP in process)", () => {
  it.for(CLIENTS)(
    "serves %s: tools in registry order with titles, a call, the server's identity",
    async ([_, options, era, version], { open }) => {
      const harness = await open({ ...options, flags: { sandbox: true } });
      expect(harness.client.getProtocolEra()).toBe(era);
      expect(harness.client.getNegotiatedProtocolVersion()).toBe(version);
      const { tools } = await harness.client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(TOOL_NAMES);
      for (const tool of tools) expect(tool.title, tool.name).toMatch(/^[A-Z]/);
      harness.emulator.store.createWebhook({
        url: "https://example.com/h",
        events: ["webset.idle"],
        id: "webhook_era",
      });
      const answer = await harness.call("get_webhook", { webhookId: "webhook_era" });
      expect(answer.isError).toBe(false);
      expect(answer.text).toContain("webhook_era");
      expect(harness.client.getServerVersion()).toMatchObject({
        name: "exa-webhooks-mcp",
        title: "Exa Websets Webhooks",
        websiteUrl: expect.stringMatching(/^https:\/\//),
        icons: [
          expect.objectContaining({ mimeType: "image/svg+xml", src: expect.stringMatching(/^data:image\/svg\+xml/) }),
        ],
      });
    },
  );

  it("answers bad arguments in the tool's own words, whichever generation asks", async ({ open }) => {
    const harness = await open({ connection: "http-auto", flags: { sandbox: true } });
    const answer = await harness.call("create_webhook", { events: ["webset.idle"] });
    expect(answer.isError).toBe(true);
    expect(answer.text).toBe("[sandbox: simulated data] Invalid input for create_webhook: url is required");
  });

  // The SDK validates tools/call requests before any tool does: arguments that are no JSON object are a
  // malformed request, the protocol's invalid-params error (a real client's callTool cannot send one).
  it.for(CLIENTS)(
    "refuses arguments that are no object with the protocol's -32602, for %s",
    async ([, options], { open }) => {
      const harness = await open(options);
      const error = await harness.client
        .request({
          method: "tools/call",
          params: { name: "get_webhook", arguments: "webhook_1" as unknown as Record<string, unknown> },
        })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).code).toBe(-32602);
      expect((error as ProtocolError).message).toContain("arguments");
      expect(harness.emulator.requests).toHaveLength(0);
    },
  );
});

describe("logging follows the client's protocol generation", () => {
  const retryLine = /Retrying GET \/webhooks in \d+ ms \(retry 1\): HTTP 503/;

  it("2026-07-28: nothing without a per-request level; the level a request names filters its messages", async ({
    open,
  }) => {
    const harness = await open({ connection: "http-auto" });
    const messages: { level: string; data: unknown }[] = [];
    harness.client.setNotificationHandler("notifications/message", (notification) => {
      messages.push(notification.params);
    });
    harness.emulator.faults.add({ status: 503 });
    expect((await harness.call("list_webhooks")).isError).toBe(false);
    expect(messages).toEqual([]);
    // Warnings reach stderr either way.
    expect(harness.stderr.some((line) => retryLine.test(line))).toBe(true);

    harness.emulator.faults.add({ status: 503 });
    await harness.client.callTool({ name: "list_webhooks", arguments: {}, _meta: { [LOG_LEVEL_META_KEY]: "error" } });
    expect(messages).toEqual([]);
    harness.emulator.faults.add({ status: 503 });
    await harness.client.callTool({ name: "list_webhooks", arguments: {}, _meta: { [LOG_LEVEL_META_KEY]: "warning" } });
    expect(messages.map((message) => message.level)).toEqual(["warning"]);
    expect(String(messages[0]?.data)).toMatch(retryLine);
  });

  it("2025: nothing until the client sets a level with logging/setLevel", async ({ open }) => {
    const harness = await open();
    const messages: unknown[] = [];
    harness.client.setNotificationHandler("notifications/message", (notification) => {
      messages.push(notification.params);
    });
    harness.emulator.faults.add({ status: 503 });
    await harness.call("list_webhooks");
    expect(messages).toEqual([]);
    expect(harness.stderr.some((line) => retryLine.test(line))).toBe(true);
    await harness.client.setLoggingLevel("warning");
    harness.emulator.faults.add({ status: 503 });
    await harness.call("list_webhooks");
    expect(messages).toHaveLength(1);
  });
});

describe("progress", () => {
  it("strictly increases within one diagnose_failures call over a fleet", async ({ open }) => {
    const harness = await open();
    const { store } = harness.emulator;
    // Webhooks without attempts in between: each reports the running total again (0 0 90 90 before the fix).
    for (let index = 0; index < 5; index++) {
      const webhook = store.createWebhook({ url: `https://example.com/h${index}`, events: ["webset.idle"] });
      if (index % 2 === 1) continue;
      for (let attempt = 0; attempt < 30; attempt++) {
        store.addAttempt({
          webhookId: webhook.id,
          eventType: "webset.idle",
          successful: attempt % 3 !== 0,
          responseStatusCode: attempt % 3 ? 200 : 500,
        });
      }
    }
    const updates: number[] = [];
    const result = await harness.client.callTool(
      { name: "diagnose_failures", arguments: {} },
      { onprogress: (update) => updates.push(update.progress) },
    );
    expect(result.isError).not.toBe(true);
    expect(updates.length).toBeGreaterThan(1);
    for (let index = 1; index < updates.length; index++)
      expect(updates[index]).toBeGreaterThan(updates[index - 1] ?? 0);
  });
});

describe("tools/list schemas", () => {
  it("output schemas name their required fields; no type arrays or keyword-less schemas anywhere", async ({ open }) => {
    const harness = await open({ flags: { sandbox: true } });
    const { tools } = await harness.client.listTools();
    for (const tool of tools) {
      expect((tool.outputSchema?.required as string[] | undefined)?.length, tool.name).toBeGreaterThan(0);
      for (const [path, node] of schemaNodes({ input: tool.inputSchema, output: tool.outputSchema })) {
        expect(Array.isArray(node.type), `${tool.name} ${path}: type array`).toBe(false);
        expect(Object.keys(node).length, `${tool.name} ${path}: no keyword`).toBeGreaterThan(0);
      }
    }
    const listWebhooks = tools.find((tool) => tool.name === "list_webhooks");
    expect(listWebhooks?.outputSchema?.required).toEqual(["webhooks", "hasMore", "nextCursor"]);
  });
});

describe("resources", () => {
  it("an unknown webhook is the spec's resource-not-found error, with the next step", async ({ open }) => {
    const harness = await open();
    const uri = "exa-webhooks://webhooks/webhook_nope";
    const error = await harness.client.readResource({ uri }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe(-32602);
    expect((error as ProtocolError).data).toEqual({ uri });
    expect((error as ProtocolError).message).toContain("No webhook webhook_nope. Call list_webhooks");
  });

  it("one event type reads as its own resource; an unknown one is not found", async ({ open }) => {
    const harness = await open();
    const result = await harness.client.readResource({ uri: "exa-webhooks://event-types/webset.item.created" });
    const first = result.contents[0];
    expect(first && "text" in first ? first.text : "").toContain('"events": ["webset.item.created"]');
    await expect(harness.client.readResource({ uri: "exa-webhooks://event-types/webset.completed" })).rejects.toThrow(
      /No event type webset\.completed\. Read exa-webhooks:\/\/event-types for the 19 valid types\./,
    );
  });
});

describe("completions", () => {
  it("complete webhook ids and event types in prompts and resource templates", async ({ open }) => {
    const harness = await open();
    expect(harness.client.getServerCapabilities()?.completions).toBeDefined();
    const { store } = harness.emulator;
    store.createWebhook({ url: "https://example.com/a", events: ["webset.idle"], id: "webhook_alpha" });
    store.createWebhook({ url: "https://example.com/b", events: ["webset.idle"], id: "webhook_beta" });
    const prompt = { type: "ref/prompt" as const, name: "triage_webhook_failures" };
    const ids = await harness.client.complete({ ref: prompt, argument: { name: "webhookId", value: "webhook_a" } });
    expect(ids.completion.values).toEqual(["webhook_alpha"]);
    const types = await harness.client.complete({
      ref: prompt,
      argument: { name: "eventType", value: "webset.item." },
    });
    expect(types.completion.values).toEqual(["webset.item.created", "webset.item.enriched"]);
    const template = { type: "ref/resource" as const, uri: "exa-webhooks://webhooks/{webhookId}" };
    const fromTemplate = await harness.client.complete({ ref: template, argument: { name: "webhookId", value: "" } });
    expect(fromTemplate.completion.values.sort()).toEqual(["webhook_alpha", "webhook_beta"]);
    const typeTemplate = { type: "ref/resource" as const, uri: "exa-webhooks://event-types/{eventType}" };
    const typeValues = await harness.client.complete({
      ref: typeTemplate,
      argument: { name: "eventType", value: "monitor.run." },
    });
    expect(typeValues.completion.values).toEqual(["monitor.run.created", "monitor.run.completed"]);
  });

  it("suggest nothing, and do not fail, without an API key", async ({ open }) => {
    const harness = await open({ env: { EXA_API_KEY: undefined } });
    const result = await harness.client.complete({
      ref: { type: "ref/prompt", name: "triage_webhook_failures" },
      argument: { name: "webhookId", value: "" },
    });
    expect(result.completion.values).toEqual([]);
  });
});

/** Every subschema of a JSON Schema tree with its path. */
function* schemaNodes(node: unknown, path = ""): Generator<[string, Record<string, unknown>]> {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* schemaNodes(item, `${path}[${index}]`);
    return;
  }
  const record = node as Record<string, unknown>;
  if (path.split(".").length > 1 && !path.endsWith(".properties")) yield [path, record];
  for (const [key, value] of Object.entries(record)) {
    if (key === "properties" && value && typeof value === "object") {
      for (const [name, child] of Object.entries(value)) yield* schemaNodes(child, `${path}.properties.${name}`);
    } else if (
      key === "items" ||
      key === "anyOf" ||
      key === "additionalProperties" ||
      key === "input" ||
      key === "output"
    ) {
      yield* schemaNodes(value, `${path}.${key}`);
    }
  }
}
