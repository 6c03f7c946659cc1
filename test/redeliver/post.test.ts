// One redelivery POST against hostile receivers on 127.0.0.1: the per-POST timer covers a receiver that
// never answers and one that trickles its body forever; redirects are answers, not followed; resets and
// huge bodies are reported without buffering them.
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { classifyAttempt } from "../../src/diagnose/index.js";
import { postRedelivery } from "../../src/redeliver/post.js";
import { describe, expect, it } from "../helpers/fixtures.js";
import { UNTIL_TEST_TIMEOUT } from "../helpers/wait.js";

function post(url: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}) {
  return postRedelivery({
    url,
    body: '{"id":"event_1"}',
    headers: { "content-type": "application/json" },
    timeoutMs: options.timeoutMs ?? 2000,
    signal: options.signal ?? new AbortController().signal,
    policy: { scope: "local", allowPrivateTargets: false },
  });
}

describe("postRedelivery", () => {
  it("times out a receiver that never answers, as a timeout", async ({ receiverThat }) => {
    const receiver = await receiverThat(() => ({ kind: "hang" }));
    const outcome = await post(receiver.url, { timeoutMs: 300 });
    expect(outcome).toMatchObject({ statusCode: 0, responseText: "timeout of 300 ms exceeded (no answer)" });
    expect(classifyAttempt({ responseStatusCode: outcome.statusCode, responseBody: outcome.responseText })).toBe(
      "timeout",
    );
  });

  it("times out a receiver that sends headers and then trickles its body", async ({ receiverThat }) => {
    const receiver = await receiverThat(() => ({ kind: "trickle", everyMs: 20 }));
    const outcome = await post(receiver.url, { timeoutMs: 400 });
    expect(outcome.statusCode).toBe(0);
    expect(outcome.responseText).toBe("timeout of 400 ms exceeded (it answered HTTP 200 but the body did not finish)");
  });

  it("does not follow a redirect: the 3xx is the answer", async ({ receiverThat }) => {
    const elsewhere = await receiverThat(() => ({ kind: "answer", status: 200 }));
    const receiver = await receiverThat(() => ({ kind: "answer", status: 308, headers: { location: elsewhere.url } }));
    const outcome = await post(receiver.url);
    expect(outcome.statusCode).toBe(308);
    expect(elsewhere.received).toEqual([]);
  });

  it("reports a reset connection and a refused one without an HTTP status", async ({ receiverThat }) => {
    const receiver = await receiverThat(() => ({ kind: "reset" }));
    const reset = await post(receiver.url);
    expect(reset.statusCode).toBe(0);
    expect(classifyAttempt({ responseStatusCode: 0, responseBody: reset.responseText })).toBe("unreachable");
    // A port that was just closed: nothing listens there.
    const closed = await receiverThat(() => ({ kind: "answer", status: 200 }));
    const url = closed.url;
    await closed.close();
    const refused = await post(url);
    expect(refused.statusCode).toBe(0);
    expect(refused.responseText).toMatch(/ECONNREFUSED/);
  });

  it("reads at most a few kilobytes of a huge answer", async () => {
    const sockets = new Set<Socket>();
    const server = createServer((_request, response) => {
      response.writeHead(500, { "content-type": "text/html" });
      const chunk = "x".repeat(64 * 1024);
      // Up to 64 MB if the client kept reading.
      let sent = 0;
      const pump = () => {
        while (sent < 1024 && response.write(chunk)) sent++;
        if (sent < 1024) response.once("drain", pump);
        else response.end();
      };
      pump();
    });
    server.on("connection", (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const outcome = await post(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(outcome.statusCode).toBe(500);
      expect(outcome.responseText.length).toBe(2000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("cancellation aborts the POST in flight", async ({ receiverThat }) => {
    const receiver = await receiverThat(() => ({ kind: "hang" }));
    const controller = new AbortController();
    const pending = post(receiver.url, { timeoutMs: 10_000, signal: controller.signal });
    await expect.poll(() => receiver.received.length, UNTIL_TEST_TIMEOUT).toBeGreaterThan(0);
    controller.abort();
    await expect(pending).rejects.toThrow();
  });
});
