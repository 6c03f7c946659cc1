// Bounded reads from Exa: byte cap, a deadline that covers the body, pages cut to the limit asked for, and
// the other ways a peer misbehaves. Each peer is a small hostile HTTP server on 127.0.0.1 written here.
import type { ServerResponse } from "node:http";
import type { listEventsTool } from "../../src/tools/list-events.js";
import type { listWebhookAttemptsTool } from "../../src/tools/list-webhook-attempts.js";
import type { listWebhooksTool } from "../../src/tools/list-webhooks.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import { type Harness, type OutputOf, startHarness } from "../helpers/harness.js";
import { quietFor, UNTIL_TEST_TIMEOUT, within } from "../helpers/wait.js";
import { type Peer, startPeer } from "./peer.js";

const it = test
  /** Starts a peer answering with `handler` and a harness on it (env added); both closed after the test. */
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
  .extend("harnessFor", async ({}, { onCleanup }) => {
    let peer: Peer | undefined;
    let harness: Harness | undefined;
    onCleanup(async () => {
      await harness?.close();
      await peer?.close();
    });
    return async (handler: Parameters<typeof startPeer>[0], env: Record<string, string> = {}) => {
      peer = await startPeer(handler);
      harness = await startHarness({ env: { EXA_BASE_URL: peer.baseUrl, ...env } });
      return { peer, harness };
    };
  });

function webhookJson(index: number): string {
  return JSON.stringify({
    id: `webhook_${String(index).padStart(6, "0")}`,
    object: "webhook",
    status: "active",
    events: ["webset.idle"],
    url: `https://example.com/h${index}`,
    secret: null,
    metadata: {},
    createdAt: "2026-11-01T00:00:00Z",
    updatedAt: "2026-11-01T00:00:00Z",
  });
}

/** Streams a page of `total` webhooks in chunks, without a content-length, so only a byte cap can stop it. */
function streamWebhookPage(res: ServerResponse, total: number): void {
  res.writeHead(200, { "content-type": "application/json", "x-request-id": "req_big" });
  res.write('{"data":[');
  let index = 0;
  const pump = (): void => {
    while (index < total) {
      const chunk: string[] = [];
      for (let i = 0; i < 500 && index < total; i++, index++) chunk.push((index ? "," : "") + webhookJson(index));
      if (!res.write(chunk.join(""))) {
        res.once("drain", pump);
        return;
      }
    }
    res.end('],"hasMore":false,"nextCursor":null}');
  };
  res.on("error", () => {});
  pump();
}

describe("response bodies are read with a byte cap", () => {
  it("a body past 8 MB is aborted with what happened and what to do next", async ({ harnessFor }) => {
    const { harness } = await harnessFor((_request, res) => streamWebhookPage(res, 100_000)); // ~25 MB
    const answer = await harness.call("list_webhooks", { limit: 5 });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("Exa's answer to list_webhooks was larger than 8 MB, so it was not read");
    expect(answer.text).toContain("smaller limit");
    expect(answer.text).toContain("EXA_BASE_URL");
    expect(answer.text).toContain("Request id: req_big");
    expect(answer.text.length).toBeLessThan(600);
  });

  it("a declared content-length past the cap is refused before reading, and not retried", async ({ harnessFor }) => {
    const { harness, peer } = await harnessFor((_request, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(200 * 1024 * 1024) });
      res.write('{"data":[');
      res.on("error", () => {});
    });
    const answer = await harness.call("get_webhook", { webhookId: "webhook_x" });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("was larger than 8 MB");
    expect(peer.requests).toHaveLength(1);
  });

  it("a page just under the cap is read", async ({ harnessFor }) => {
    const { harness } = await harnessFor((_request, res) => streamWebhookPage(res, 25_000)); // ~6.3 MB
    const answer = await harness.call("list_webhooks", { limit: 5 });
    expect(answer.isError).toBe(false);
  });
});

describe("the per-request timeout covers the body", () => {
  it("a peer that trickles one byte every 200 ms never makes a call hang (30 calls)", async ({ harnessFor }) => {
    const { harness, peer } = await harnessFor(
      (_request, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write("{");
        const timer = setInterval(() => res.write(" "), 200);
        res.on("close", () => clearInterval(timer));
        res.on("error", () => {});
      },
      { EXA_TIMEOUT_MS: "200" },
    );
    const runs = 30;
    const lanes = 3;
    const outcomes: string[] = [];
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (outcomes.length < runs) {
          outcomes.push("pending");
          const slot = outcomes.length - 1;
          const call = harness.call("get_webhook", { webhookId: "webhook_trickle" }).then((answer) => answer.text);
          outcomes[slot] = await within(call, 8000, () => "the call never ended").catch(() => "NEVER ENDED");
        }
      }),
    );
    const hung = outcomes.filter((text) => text === "NEVER ENDED").length;
    expect(hung, `${hung} of ${runs} calls never ended`).toBe(0);
    for (const text of outcomes) {
      expect(text).toContain("Exa started answering get_webhook but did not finish within 200 ms (4 attempts)");
      expect(text).toContain("EXA_TIMEOUT_MS");
    }
    expect(peer.requests).toHaveLength(runs * 4);
  }, 120_000);

  it("cancelling during the body read aborts it at once, with no retry", async ({ harnessFor }) => {
    const closed: number[] = [];
    const { harness, peer } = await harnessFor((_request, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
      const timer = setInterval(() => res.write(" "), 50);
      res.on("close", () => {
        clearInterval(timer);
        closed.push(Date.now());
      });
    });
    const controller = new AbortController();
    const pending = harness.call("list_webhooks", {}, { signal: controller.signal });
    await expect.poll(() => peer.requests.length, UNTIL_TEST_TIMEOUT).toBeGreaterThan(0);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => closed.length, UNTIL_TEST_TIMEOUT).toBeGreaterThan(0);
    await quietFor(100);
    expect(peer.requests).toHaveLength(1);
  });

  it("headers then silence times out with the same message", async ({ harnessFor }) => {
    const { harness } = await harnessFor(
      (_request, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.flushHeaders();
      },
      { EXA_TIMEOUT_MS: "200" },
    );
    const answer = await harness.call("list_webhooks");
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("did not finish within 200 ms (4 attempts)");
  });

  it("a body cut off mid-stream says the connection broke while Exa was answering", async ({ harnessFor }) => {
    const { harness, peer } = await harnessFor((_request, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000", "x-request-id": "req_cut" });
      res.write('{"data":[');
      setTimeout(() => res.destroy(), 20);
    });
    const answer = await harness.call("list_webhooks");
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("The connection to the Exa API at 127.0.0.1");
    expect(answer.text).toContain("broke while Exa was answering list_webhooks");
    expect(answer.text).toContain("4 attempts");
    expect(peer.requests).toHaveLength(4);
  });
});

describe("pages are cut to the limit asked for", () => {
  it("5,000 webhooks for limit=5 become 5, and the text says more exist", async ({ harnessFor }) => {
    const { harness } = await harnessFor((_request, res) => streamWebhookPage(res, 5000));
    const answer = await harness.call("list_webhooks", { limit: 5 });
    expect(answer.isError).toBe(false);
    const page = answer.structured as OutputOf<typeof listWebhooksTool>;
    expect(page.webhooks.map((webhook) => webhook.id)).toEqual([0, 1, 2, 3, 4].map((i) => `webhook_00000${i}`));
    expect(page.hasMore).toBe(true);
    expect(answer.text).toContain("(more exist)");
    expect(answer.text.length).toBeLessThan(2000);
  });

  it("attempts and events pages are cut too", async ({ harnessFor }) => {
    const attempt = (i: number) => ({
      id: `attempt_${i}`,
      eventId: `event_${i}`,
      eventType: "webset.idle",
      webhookId: "webhook_a",
      url: "https://example.com/h",
      successful: false,
      responseBody: "nope",
      responseStatusCode: 500,
      attempt: 1,
      attemptedAt: "2026-11-01T00:00:00Z",
    });
    const event = (i: number) => ({
      id: `event_${i}`,
      type: "webset.idle",
      data: {},
      createdAt: "2026-11-01T00:00:00Z",
    });
    const { harness } = await harnessFor((request, res) => {
      const data = Array.from({ length: 300 }, (_, i) => (request.path.endsWith("/events") ? event(i) : attempt(i)));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ data, hasMore: false, nextCursor: null }));
    });
    const attempts = await harness.call("list_webhook_attempts", { webhookId: "webhook_a", limit: 3 });
    expect((attempts.structured as OutputOf<typeof listWebhookAttemptsTool>).attempts).toHaveLength(3);
    const events = await harness.call("list_events", { limit: 2 });
    expect((events.structured as OutputOf<typeof listEventsTool>).events).toHaveLength(2);
  });
});

describe("other faults of a read", () => {
  it("an HTML page with 200 says the body is not JSON, with the request id and a next step", async ({ harnessFor }) => {
    const { harness } = await harnessFor((_request, res) => {
      res.writeHead(200, { "content-type": "text/html", "x-request-id": "req_html" });
      res.end("<html><head><title>Just a moment...</title></head><body>challenge</body></html>");
    });
    const answer = await harness.call("list_webhooks");
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("body that is not JSON");
    expect(answer.text).toContain("report it with the request id");
    expect(answer.text).toContain("Request id: req_html");
    expect(answer.text).not.toContain("<html");
  });

  it("a reset on every try of a GET is retried, then names the host and EXA_BASE_URL", async ({ harnessFor }) => {
    const { harness, peer } = await harnessFor((_request, _res, req) => {
      req.socket.destroy();
    });
    const answer = await harness.call("get_webhook", { webhookId: "webhook_x" });
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/Cannot reach the Exa API at 127\.0\.0\.1:\d+ \(.+; 4 attempts\)/);
    expect(answer.text).toContain("EXA_BASE_URL");
    expect(peer.requests).toHaveLength(4);
  });

  it("one reset then a good answer succeeds", async ({ harnessFor }) => {
    let requests = 0;
    const { harness } = await harnessFor((request, res, req) => {
      if (++requests === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`{"data":[${webhookJson(1)}],"hasMore":false}`);
      expect(request.method).toBe("GET");
    });
    const answer = await harness.call("list_webhooks");
    expect(answer.isError).toBe(false);
    expect(answer.text).toContain("webhook_000001");
  });
});
