// Every error class a model can meet, with the retry policy, checked at the emulator's request log.
import { startEmulator } from "../../src/sandbox/emulator.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import { startHarness, TEST_API_KEY } from "../helpers/harness.js";
import { quietFor } from "../helpers/wait.js";

const it = test
  /** Every test's account holds one webhook. */
  .extend("webhookId", { auto: true }, async ({ harness }) => {
    return harness.emulator.store.createWebhook({ url: "https://example.com/h", events: ["webset.idle"] }).id;
  })
  /** The requests that reached the emulator on a path ending with `path`. */
  .extend("requestsTo", async ({ harness }) => {
    return (path: string) => harness.emulator.requests.filter((request) => request.path.endsWith(path));
  });

describe("errors from Exa become actionable text", () => {
  it("401 says to check EXA_API_KEY and never echoes the key", async ({ harness }) => {
    harness.emulator.faults.add({
      status: 401,
      body: JSON.stringify({
        error: { type: "UNAUTHORIZED", code: "INVALID_API_KEY", message: "Invalid API key" },
        requestId: "req_abc123",
      }),
    });
    const answer = await harness.call("list_webhooks");
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("Exa rejected the API key (HTTP 401)");
    expect(answer.text).toContain("EXA_API_KEY");
    expect(answer.text).toContain("Invalid API key");
    expect(answer.text).toMatch(/Request id: req_/);
    expect(answer.text).not.toContain(TEST_API_KEY);
  });

  it("403 is treated as a key problem too", async ({ harness, webhookId }) => {
    harness.emulator.faults.add({
      status: 403,
      body: JSON.stringify({ error: "Forbidden", message: "Key lacks access" }),
    });
    const answer = await harness.call("get_webhook", { webhookId });
    expect(answer.text).toContain("HTTP 403");
    expect(answer.text).toContain("EXA_API_KEY");
  });

  it("402 says the account is out of credits", async ({ harness }) => {
    harness.emulator.faults.add({
      status: 402,
      body: JSON.stringify({ error: "Payment Required", message: "Out of credits" }),
    });
    const answer = await harness.call("list_webhooks");
    expect(answer.text).toContain("out of credits (HTTP 402)");
    expect(answer.text).toContain("Add credits");
  });

  it("400 and 422 relay Exa's field message in any of its body shapes", async ({ harness, webhookId }) => {
    harness.emulator.faults.add({
      method: "PATCH",
      status: 422,
      body: JSON.stringify({
        statusCode: 422,
        message: "url must be reachable",
        timestamp: "x",
        path: "/v0/webhooks/x",
      }),
    });
    const patched = await harness.call("update_webhook", { webhookId, url: "https://example.com/new" });
    expect(patched.text).toContain("Exa rejected update_webhook (HTTP 422)");
    expect(patched.text).toContain("url must be reachable");

    harness.emulator.faults.add({
      method: "POST",
      status: 400,
      body: JSON.stringify({ error: "Bad Request", message: "Invalid query" }),
    });
    const created = await harness.call("create_webhook", { url: "https://example.com/x", events: ["webset.idle"] });
    expect(created.text).toContain("HTTP 400");
    expect(created.text).toContain("Invalid query");
  });

  it("a gateway HTML page shows the status and a short excerpt, never the page", async ({ harness, webhookId }) => {
    harness.emulator.faults.add({ kind: "html", status: 502, times: 10 });
    const answer = await harness.call("get_webhook", { webhookId });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("HTTP 502");
    expect(answer.text).not.toContain("<html");
    expect(answer.text.length).toBeLessThan(600);
  });

  it("malformed JSON from Exa is reported, not thrown", async ({ harness }) => {
    harness.emulator.faults.add({ kind: "malformed-json" });
    const answer = await harness.call("list_webhooks");
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("Exa answered GET /webhooks with a body that is not JSON.");
    expect(answer.text).toContain("retry, and report it with the request id if it persists");
    expect(answer.text).toMatch(/Request id: req_/);
  });

  it("a PATCH whose first try was reset unanswered and whose retry gets 404 says plainly that there is no webhook", async ({
    harness,
  }) => {
    harness.emulator.faults.add({ method: "PATCH", kind: "reset" });
    const answer = await harness.call("update_webhook", { webhookId: "webhook_missing", url: "https://example.com/x" });
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/^No webhook webhook_missing\. Call list_webhooks/);
    expect(answer.text).not.toContain("may have been applied");
  });

  it("an unreachable host names the host and EXA_BASE_URL; a create refused there carries no duplicate warning", async () => {
    const dead = await startEmulator();
    const deadUrl = dead.baseUrl;
    await dead.close();
    const offline = await startHarness({ env: { EXA_BASE_URL: deadUrl } });
    try {
      const answer = await offline.call("list_webhooks");
      expect(answer.isError).toBe(true);
      expect(answer.text).toContain(`Cannot reach the Exa API at ${new URL(deadUrl).host}`);
      expect(answer.text).toContain("ECONNREFUSED");
      expect(answer.text).toContain("EXA_BASE_URL");
      // A refused connection sent nothing, so the create cannot have been applied.
      const created = await offline.call("create_webhook", { url: "https://example.com/x", events: ["webset.idle"] });
      expect(created.text).toContain("Cannot reach the Exa API");
      expect(created.text).not.toContain("may have");
    } finally {
      await offline.close();
    }
  });

  it("a hung request times out per attempt and says so", async () => {
    const slow = await startHarness({ env: { EXA_TIMEOUT_MS: "200" } });
    try {
      slow.emulator.faults.add({ kind: "hang", times: 10 });
      const answer = await slow.call("list_webhooks");
      expect(answer.isError).toBe(true);
      expect(answer.text).toContain("did not answer list_webhooks within 200 ms (4 attempts)");
      expect(answer.text).toContain("EXA_TIMEOUT_MS");
    } finally {
      await slow.close();
    }
  });
});

describe("retries", () => {
  it("429 with Retry-After is waited out, then succeeds", async ({ harness, requestsTo }) => {
    harness.emulator.faults.add({ path: "/webhooks", status: 429, headers: { "Retry-After": "1" } });
    const answer = await harness.call("list_webhooks");
    expect(answer.isError).toBe(false);
    const requests = requestsTo("/webhooks");
    expect(requests).toHaveLength(2);
    const [first, second] = requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("503 twice then success on a GET", async ({ harness, webhookId, requestsTo }) => {
    harness.emulator.faults.add({ status: 503, times: 2 });
    const answer = await harness.call("get_webhook", { webhookId });
    expect(answer.isError).toBe(false);
    expect(requestsTo(`/webhooks/${webhookId}`)).toHaveLength(3);
  });

  it("a retried GET never exceeds 4 requests and the error says Exa is busy, with the request id", async ({
    harness,
    webhookId,
    requestsTo,
  }) => {
    harness.emulator.faults.add({ status: 503, times: Number.POSITIVE_INFINITY });
    const answer = await harness.call("list_webhook_attempts", { webhookId });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("Exa is having trouble (HTTP 503 after 4 attempts)");
    expect(answer.text).toMatch(/Request id: req_/);
    expect(requestsTo("/attempts")).toHaveLength(4);
  });

  it("PATCH and DELETE are retried on 5xx", async ({ harness, webhookId }) => {
    harness.emulator.faults.add({ method: "PATCH", status: 500 });
    const patched = await harness.call("update_webhook", { webhookId, metadata: { a: "b" } });
    expect(patched.isError).toBe(false);
    harness.emulator.faults.add({ method: "DELETE", status: 502 });
    const deleted = await harness.call("delete_webhook", { webhookId });
    expect(deleted.isError).toBe(false);
    const methods = harness.emulator.requests.map((request) => request.method);
    expect(methods.filter((method) => method === "PATCH")).toHaveLength(2);
    expect(methods.filter((method) => method === "DELETE")).toHaveLength(2);
  });

  it("a POST that gets a 503 is not retried (a retry could create a duplicate webhook)", async ({ harness }) => {
    harness.emulator.faults.add({ method: "POST", status: 503, times: 5 });
    const answer = await harness.call("create_webhook", { url: "https://example.com/x", events: ["webset.idle"] });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("HTTP 503");
    expect(harness.emulator.requests.filter((request) => request.method === "POST")).toHaveLength(1);
    expect(harness.emulator.store.listWebhooks()).toHaveLength(1);
  });

  it("a POST that gets a 429 is retried", async ({ harness }) => {
    harness.emulator.faults.add({ method: "POST", status: 429, headers: { "Retry-After": "0" } });
    const answer = await harness.call("create_webhook", { url: "https://example.com/x", events: ["webset.idle"] });
    expect(answer.isError).toBe(false);
    expect(harness.emulator.requests.filter((request) => request.method === "POST")).toHaveLength(2);
  });

  it("a Retry-After beyond what one call should wait fails fast with a retry-later message", async ({
    harness,
    requestsTo,
  }) => {
    harness.emulator.faults.add({ status: 429, headers: { "Retry-After": "3600" } });
    const answer = await harness.call("list_webhooks");
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("rate limiting");
    expect(answer.text).toContain("Exa asks to wait 3600 s");
    expect(requestsTo("/webhooks")).toHaveLength(1);
  });
});

describe("cancellation", () => {
  it("aborts the in-flight request to Exa", async ({ harness, requestsTo }) => {
    harness.emulator.faults.add({ kind: "hang" });
    const controller = new AbortController();
    const pending = harness.call("list_webhooks", {}, { signal: controller.signal });
    await expect.poll(() => requestsTo("/webhooks").length, { timeout: 3_000, interval: 10 }).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => requestsTo("/webhooks")[0]?.clientClosedAt, { timeout: 3_000, interval: 10 }).toBeDefined();
    // No retry follows a cancellation.
    await quietFor(100);
    expect(requestsTo("/webhooks")).toHaveLength(1);
  });
});
