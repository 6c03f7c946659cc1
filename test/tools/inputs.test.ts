// Input that costs or misleads: huge or many wrong names, keys that JavaScript treats specially, and the wording
// of every refusal (field named, next step given), checked through a real client against the emulator.
import { describe, expect, sharedHarnessTest } from "../helpers/fixtures.js";
import { startHarness } from "../helpers/harness.js";

const it = sharedHarnessTest().extend(
  "webhookId",
  { scope: "file" },
  ({ sharedHarness }) =>
    sharedHarness.emulator.store.createWebhook({ url: "https://example.com/h", events: ["webset.idle"] }).id,
);

/** The longest run of one character in a text: how much of a repeated-character input it echoes. */
function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

describe("wrong event type names", () => {
  it("190 names of 20 kB are refused by length, echoing at most ~200 characters", async ({
    sharedHarness: harness,
  }) => {
    const events = Array.from({ length: 190 }, (_, i) => `${i}${"x".repeat(20_000)}`);
    const answer = await harness.call("create_webhook", { url: "https://example.com/x", events });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("event type names are at most 100 characters");
    expect(answer.text).toContain("events.0");
    expect(longestRun(answer.text, "x")).toBeLessThanOrEqual(200);
    expect(answer.text.length).toBeLessThan(2000);
  });

  it("a single long name in a filter is refused the same way", async ({ sharedHarness: harness, webhookId }) => {
    const answer = await harness.call("list_webhook_attempts", { webhookId, eventType: "y".repeat(5000) });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("eventType");
    expect(answer.text).toContain("at most 100 characters");
    expect(longestRun(answer.text, "y")).toBeLessThanOrEqual(200);
  });

  it("many short wrong names: a few are named, the rest counted, still with the valid list", async ({
    sharedHarness: harness,
  }) => {
    const events = Array.from({ length: 190 }, (_, i) => `webset.item.created${i}`);
    const answer = await harness.call("create_webhook", { url: "https://example.com/x", events });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain('"webset.item.created0"');
    expect(answer.text).toMatch(/and 18\d more/);
    expect(answer.text).toContain("Valid types: webset.created");
    expect(answer.text.length).toBeLessThan(2000);
  });

  it("names the field it is about: types for list_events, type for a single filter", async ({
    sharedHarness: harness,
  }) => {
    const empty = await harness.call("list_events", { types: [] });
    expect(empty.text).toBe("Invalid input for list_events: types needs at least one event type");
    const wrong = await harness.call("list_events", { types: ["webset.completed"] });
    expect(wrong.text).toMatch(
      /^Invalid input for list_events: types: "webset.completed" \(did you mean "webset.idle"\?\)/,
    );
  });
});

describe("echoed input is bounded", () => {
  it("an unknown field with a 20 kB name is named, cut", async ({ sharedHarness: harness }) => {
    const answer = await harness.call("list_webhooks", { ["z".repeat(20_000)]: 1 });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("Unknown field");
    expect(answer.text).toContain("Valid fields: limit, cursor");
    expect(longestRun(answer.text, "z")).toBeLessThanOrEqual(200);
  });

  it("a thousand unknown fields are counted, not listed", async ({ sharedHarness: harness }) => {
    const args = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`field${i}`, i]));
    const answer = await harness.call("list_webhooks", args);
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain('"field0"');
    expect(answer.text).toMatch(/and 9\d\d more/);
    expect(answer.text.length).toBeLessThan(1000);
  });
});

describe("zod's own issues in our words", () => {
  it("a missing field is required; a wrong type says what to send", async ({ sharedHarness: harness, webhookId }) => {
    const missing = await harness.call("get_webhook", {});
    expect(missing.text).toBe("Invalid input for get_webhook: webhookId is required");
    const wrongType = await harness.call("list_webhooks", { limit: "many" });
    expect(wrongType.text).toBe("Invalid input for list_webhooks: limit must be a number, not a string");
    const wrongItem = await harness.call("update_webhook", { webhookId, events: [3] });
    expect(wrongItem.text).toBe("Invalid input for update_webhook: events.0 must be a string, not a number");
  });

  it("numbers out of bounds and unknown fields read the same in a tool with its own strict schema", async ({
    sharedHarness: harness,
  }) => {
    const signed = { payload: "{}", signatureHeader: "t=1,v1=ab", secret: "s" };
    const cases: [Record<string, unknown>, string][] = [
      [{ now: 1.5 }, "now must be a whole number"],
      [{ now: -1 }, "now must be greater than 0"],
      [{ toleranceSeconds: 1e12 }, "toleranceSeconds must be at most 604800"],
      [{ extra: 1 }, 'Unknown field "extra". Valid fields: payload, signatureHeader, secret, toleranceSeconds, now.'],
    ];
    for (const [args, problem] of cases) {
      const answer = await harness.call("verify_webhook_signature", { ...signed, ...args });
      expect(answer.text).toBe(`Invalid input for verify_webhook_signature: ${problem}`);
    }
  });

  it("a bad timestamp names its field", async ({ sharedHarness: harness }) => {
    const answer = await harness.call("list_events", { createdAfter: "yesterday" });
    expect(answer.text).toBe(
      "Invalid input for list_events: createdAfter must be an ISO 8601 timestamp, e.g. 2026-11-21T00:00:00Z",
    );
  });
});

describe("since", () => {
  it("a since that is no span or timestamp is refused by both tools that take it, saying what is accepted, before any read", async ({
    sharedHarness: harness,
    webhookId,
  }) => {
    const before = harness.emulator.requests.length;
    for (const [name, args] of [
      ["diagnose_failures", { webhookId, since: "yesterday" }],
      ["redeliver_events", { webhookId, undelivered: true, since: "yesterday" }],
    ] as const) {
      const answer = await harness.call(name, args);
      expect(answer.isError).toBe(true);
      expect(answer.text).toBe(
        `Invalid input for ${name}: since "yesterday" is not understood. Use a span like "90s", "30m", "24h", "7d", "2w", or an ISO timestamp like "2026-01-31T12:00:00Z".`,
      );
    }
    expect(harness.emulator.requests.length).toBe(before);
  });
});

describe("keys JavaScript treats specially", () => {
  it('a metadata key "__proto__" is refused, naming it, and nothing is sent', async ({
    sharedHarness: harness,
    webhookId,
  }) => {
    const before = harness.emulator.requests.length;
    const args = JSON.parse(`{"webhookId":"${webhookId}","metadata":{"__proto__":"v","team":"a"}}`);
    const answer = await harness.call("update_webhook", args);
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain('metadata key "__proto__" is not allowed');
    expect(harness.emulator.requests.length).toBe(before);
  });

  it('"constructor" is an unknown field like any other', async ({ sharedHarness: harness, webhookId }) => {
    const answer = await harness.call("get_webhook", JSON.parse(`{"webhookId":"${webhookId}","constructor":{}}`));
    expect(answer.text).toContain('Unknown field "constructor"');
  });
});

// Models send "25" and "true" as strings: every tool takes them or none does, so every number and boolean field
// of every tool listed is tried here, found from the listed JSON Schemas rather than named by hand.
describe("numbers and booleans written as strings", () => {
  const STRING_FORMS: Readonly<Record<string, string>> = { integer: "25", number: "25", boolean: "true" };

  it("every number and boolean field of every tool takes its unambiguous string form", async ({ webhookId }) => {
    const sandbox = await startHarness({ flags: { sandbox: true } });
    try {
      const { tools } = await sandbox.client.listTools();
      const tried: string[] = [];
      for (const tool of tools) {
        const properties = (tool.inputSchema.properties ?? {}) as Record<string, { type?: string }>;
        for (const [field, schema] of Object.entries(properties)) {
          const text = STRING_FORMS[schema.type ?? ""];
          if (!text) continue;
          tried.push(`${tool.name}.${field}`);
          const answer = await sandbox.call(tool.name, { webhookId, [field]: text });
          expect(answer.text, `${tool.name}.${field}: ${answer.text}`).not.toMatch(
            new RegExp(`${field} must be (a boolean|a number|a whole number)`),
          );
        }
      }
      expect(tried).toEqual(expect.arrayContaining(["list_webhooks.limit", "list_webhook_attempts.successful"]));
    } finally {
      await sandbox.close();
    }
  });

  it('"1" pages like 1 and "false" filters like false', async ({ sharedHarness: harness, webhookId }) => {
    harness.emulator.store.createWebhook({ url: "https://example.com/second", events: ["webset.idle"] });
    const page = await harness.call("list_webhooks", { limit: "1" });
    expect(page.isError).toBe(false);
    expect(page.structured?.webhooks).toHaveLength(1);
    const failed = await harness.call("list_webhook_attempts", { webhookId, successful: "false" });
    expect(failed.isError).toBe(false);
  });

  it("anything else is refused, naming the field and what to send", async ({ sharedHarness: harness, webhookId }) => {
    const limit = await harness.call("list_webhooks", { limit: "25 items" });
    expect(limit.text).toBe("Invalid input for list_webhooks: limit must be a number, not a string");
    const decimal = await harness.call("list_webhooks", { limit: "2.5" });
    expect(decimal.text).toBe("Invalid input for list_webhooks: limit must be a whole number");
    const yes = await harness.call("list_webhook_attempts", { webhookId, successful: "yes" });
    expect(yes.text).toBe("Invalid input for list_webhook_attempts: successful must be a boolean, not a string");
  });
});
