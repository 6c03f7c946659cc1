// Resources, prompts and instructions through a real MCP client.

import { EVENT_TYPES } from "../../src/exa/event-types.js";
import { describe, expect, it } from "../helpers/fixtures.js";

describe("instructions", () => {
  it("tell a model which tool answers which question", ({ harness }) => {
    const instructions = harness.client.getInstructions() ?? "";
    expect(instructions).toContain("diagnose_failures");
    expect(instructions).toContain("verify_webhook_signature");
    expect(instructions).toContain("list_events");
    expect(instructions).toContain("redeliver_events");
    // Scope: Websets webhooks; the signature check also serves Search Monitors, nothing else does.
    expect(instructions).toContain("Scope: Websets webhooks only.");
    expect(instructions).toMatch(/verify_webhook_signature \(offline; also for Search Monitors deliveries/);
    expect(instructions).toContain("cannot be listed, diagnosed or redelivered here");
  });
});

describe("resources", () => {
  it("lists the static resources (the health view among them) and the webhook and event-type templates", async ({
    harness,
  }) => {
    const { resources } = await harness.client.listResources();
    expect(resources.map((resource) => resource.uri).sort()).toEqual([
      "exa-webhooks://event-types",
      "exa-webhooks://webhooks",
      "ui://exa-webhooks/health",
    ]);
    const { resourceTemplates } = await harness.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate).sort()).toEqual([
      "exa-webhooks://event-types/{eventType}",
      "exa-webhooks://webhooks/{webhookId}",
    ]);
  });

  it("event-types has all 19 types and not the removed import.processing", async ({ harness }) => {
    const result = await harness.client.readResource({ uri: "exa-webhooks://event-types" });
    const text = textOf(result);
    for (const type of EVENT_TYPES) expect(text).toContain(`| ${type} |`);
    expect(text).not.toContain("import.processing");
  });

  it("webhooks lists the account; the template shows one webhook with its recent attempts", async ({ harness }) => {
    const store = harness.emulator.store;
    const webhook = store.createWebhook({ url: "https://example.com/h", events: ["webset.idle"] });
    store.addAttempt({
      webhookId: webhook.id,
      eventType: "webset.idle",
      successful: false,
      responseStatusCode: 500,
      responseBody: "boom",
    });
    store.addAttempt({ webhookId: webhook.id, eventType: "webset.idle", successful: true, responseStatusCode: 200 });
    const list = await harness.client.readResource({ uri: "exa-webhooks://webhooks" });
    expect(textOf(list)).toContain(webhook.id);
    const one = await harness.client.readResource({ uri: `exa-webhooks://webhooks/${webhook.id}` });
    const text = textOf(one);
    expect(text).toContain(webhook.id);
    expect(text).toContain("1 ok, 1 failed");
    expect(text).toContain("HTTP 500 ×1");
    expect(text).toContain("diagnose_failures");
  });

  it("a malformed id in the template says what is wrong with it", async ({ harness }) => {
    await expect(harness.client.readResource({ uri: "exa-webhooks://webhooks/%E0" })).rejects.toThrow(
      /is not a valid id.*Call list_webhooks/,
    );
  });

  it("an unknown webhook in the template is a readable error", async ({ harness }) => {
    await expect(harness.client.readResource({ uri: "exa-webhooks://webhooks/webhook_nope" })).rejects.toThrow(
      /No webhook webhook_nope\. Call list_webhooks/,
    );
  });
});

describe("prompts", () => {
  it("lists both prompts with their arguments", async ({ harness }) => {
    const { prompts } = await harness.client.listPrompts();
    const byName = new Map(prompts.map((prompt) => [prompt.name, prompt]));
    expect(byName.get("triage_webhook_failures")?.arguments?.map((arg) => [arg.name, arg.required])).toEqual([
      ["webhookId", false],
      ["eventType", false],
    ]);
    expect(byName.get("setup_webhook")?.arguments?.map((arg) => [arg.name, arg.required])).toEqual([
      ["url", true],
      ["purpose", false],
    ]);
    // What a host shows next to the prompt's name: a sentence saying what the workflow does, not a label.
    for (const prompt of prompts) expect(prompt.description, prompt.name).toMatch(/^[A-Z][^\n]{20,}\.$/);
  });

  it("fills the arguments into the workflow", async ({ harness }) => {
    const triage = await harness.client.getPrompt({
      name: "triage_webhook_failures",
      arguments: { webhookId: "webhook_1" },
    });
    const triageText = JSON.stringify(triage.messages);
    expect(triageText).toContain('diagnose_failures {\\"webhookId\\":\\"webhook_1\\"}');
    expect(triageText).toContain('redeliver_events {\\"webhookId\\":\\"webhook_1\\",\\"undelivered\\":true}');
    const setup = await harness.client.getPrompt({
      name: "setup_webhook",
      arguments: { url: "https://example.com/exa", purpose: "sync items to our CRM" },
    });
    const setupText = JSON.stringify(setup.messages);
    expect(setupText).toContain("https://example.com/exa");
    expect(setupText).toContain("sync items to our CRM");
    expect(setupText).toContain("verify_webhook_signature");
  });
});

function textOf(result: { contents: ({ text: string } | { blob: string })[] }): string {
  const first = result.contents[0];
  return first && "text" in first ? first.text : "";
}
