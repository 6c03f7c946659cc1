// diagnose_failures when part of the history cannot be read: a hostile HTTP peer in front of the emulator
// answers 500 to every attempts page of one outcome. The diagnosis must say what it could not read and
// claim nothing the missing part could contradict (issue 9, section 1).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { DiagnosisReport } from "../../src/diagnose/index.js";
import type { Emulator } from "../../src/sandbox/emulator.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { seedHistory } from "../helpers/seed.js";

const TYPES = ["webset.item.created", "webset.idle"];
const HOUR = 3_600_000;

const it = test
  /**
   * Starts a peer that forwards every request to the test's emulator, except attempts pages whose query matches
   * `refuse`: those get a 500 with an Exa-shaped body, on every try. Closed after the test.
   */
  .extend("startRefusingPeer", async ({ emulator }, { onCleanup }) => {
    let peer: Server | undefined;
    onCleanup(async () => {
      await new Promise((resolve) => (peer ? peer.close(resolve) : resolve(undefined)));
    });
    return async (refuse: (query: URLSearchParams, path: string) => boolean): Promise<string> => {
      peer = createServer(async (request, response) => {
        const url = new URL(request.url ?? "/", "http://127.0.0.1");
        if (url.pathname.endsWith("/attempts") && refuse(url.searchParams, url.pathname)) {
          response.writeHead(500, { "content-type": "application/json" });
          response.end(JSON.stringify({ error: "internal_error", message: "attempts store unavailable" }));
          return;
        }
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const headers = new Headers();
        for (const [name, value] of Object.entries(request.headers)) {
          if (typeof value === "string" && name !== "host" && name !== "connection") headers.set(name, value);
        }
        const upstream = await fetch(`${emulator.baseUrl}${url.pathname}${url.search}`, {
          method: request.method ?? "GET",
          headers,
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        });
        response.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "text/plain" });
        response.end(Buffer.from(await upstream.arrayBuffer()));
      });
      await new Promise<void>((resolve) => peer?.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(peer.address() as AddressInfo).port}`;
    };
  })
  /** One diagnose_failures call with `args` through a harness on the test's emulator reached at `baseUrl`. */
  .extend("diagnoseThrough", async ({ emulator }, { onCleanup }) => {
    let harness: Harness | undefined;
    onCleanup(async () => {
      await harness?.close();
    });
    return async (baseUrl: string, args: Record<string, unknown>) => {
      harness = await startHarness({ emulator, env: { EXA_BASE_URL: baseUrl } });
      const answer = await harness.call("diagnose_failures", args);
      expect(answer.isError, answer.text).toBe(false);
      return { report: answer.structured as DiagnosisReport, text: answer.text };
    };
  });

/** 30 events, one attempt each: 10 failed and never retried, 20 delivered. */
function seedThirty(emulator: Emulator): string {
  const id = emulator.store.createWebhook({ url: "https://hooks.example.com/exa", events: TYPES }).id;
  const failures = new Set([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
  emulator.store.addAttempts(
    Array.from({ length: 30 }, (_, i) => ({
      webhookId: id,
      eventId: `event_${i}`,
      eventType: TYPES[i % TYPES.length] as string,
      successful: !failures.has(i),
      responseStatusCode: failures.has(i) ? 500 : 200,
      responseBody: failures.has(i) ? "boom" : "ok",
      attempt: 1,
      attemptedAt: Date.now() - 2 * HOUR + i * 60_000,
    })),
  );
  return id;
}

describe("diagnose_failures with an outcome that cannot be read", () => {
  it("every failed-attempts page answers 500: unknown, not healthy", async ({
    emulator,
    startRefusingPeer,
    diagnoseThrough,
  }) => {
    const id = seedThirty(emulator);
    const baseUrl = await startRefusingPeer((query) => query.get("successful") === "false");
    const { report, text } = await diagnoseThrough(baseUrl, { webhookId: id });
    const [diagnosis] = report.webhooks;
    expect(diagnosis?.verdict).toBe("unknown");
    expect(diagnosis?.complete).toBe(false);
    const [first] = text.split("\n");
    expect(first).toMatch(/unknown/);
    expect(first).toMatch(/could not read .*failed attempts/);
    expect(first).toMatch(/500/);
    expect(text).not.toMatch(/healthy|0\/20 attempts failed/);
  });

  it("every successful-attempts page answers 500: unknown, no 'no success', no undelivered events to recover", async ({
    emulator,
    startRefusingPeer,
    diagnoseThrough,
  }) => {
    const id = seedThirty(emulator);
    const baseUrl = await startRefusingPeer((query) => query.get("successful") === "true");
    const { report, text } = await diagnoseThrough(baseUrl, { webhookId: id });
    const [diagnosis] = report.webhooks;
    expect(diagnosis?.verdict).toBe("unknown");
    expect(diagnosis?.events.undelivered).toBe(0);
    const [first] = text.split("\n");
    expect(first).toMatch(/could not read .*successful attempts/);
    expect(text).not.toMatch(/no success|undelivered event|Recover the/);
    // The failures that were read are still evidence.
    expect(diagnosis?.groups[0]).toMatchObject({ category: "server_error", count: 10 });
  });

  it("the same with eventType given: the one partition of an outcome failing is the whole outcome", async ({
    emulator,
    startRefusingPeer,
    diagnoseThrough,
  }) => {
    const id = seedThirty(emulator);
    const baseUrl = await startRefusingPeer((query) => query.get("successful") === "false");
    const { report, text } = await diagnoseThrough(baseUrl, { webhookId: id, eventType: "webset.idle" });
    expect(report.webhooks[0]?.verdict).toBe("unknown");
    expect(text.split("\n")[0]).toMatch(/could not read .*failed attempts/);
  });

  it("a fleet ranks an unreadable webhook after failing and before degraded, quiet and healthy", async ({
    emulator,
    startRefusingPeer,
    diagnoseThrough,
  }) => {
    const unreadable = seedThirty(emulator);
    const quiet = emulator.store.createWebhook({ url: "https://quiet.example.com/exa", events: TYPES }).id;
    const healthy = emulator.store.createWebhook({ url: "https://ok.example.com/exa", events: TYPES }).id;
    const broken = emulator.store.createWebhook({ url: "https://broken.example.com/exa", events: TYPES }).id;
    const history = { types: TYPES, startMs: Date.now() - 5 * HOUR, stepMs: 60_000 };
    seedHistory(emulator.store, {
      webhookId: healthy,
      events: 40,
      failureRate: 0,
      failure: { status: 500, body: "" },
      ...history,
    });
    seedHistory(emulator.store, {
      webhookId: broken,
      events: 40,
      failureRate: 1,
      failure: { status: 404, body: "" },
      ...history,
    });
    const baseUrl = await startRefusingPeer(
      (query, path) => path.includes(unreadable) && query.get("successful") === "false",
    );
    const { report, text } = await diagnoseThrough(baseUrl, {});
    expect(report.webhooks.map((d) => [d.webhookId, d.verdict])).toEqual([
      [broken, "failing"],
      [unreadable, "unknown"],
      [quiet, "no_traffic"],
      [healthy, "healthy"],
    ]);
    expect(text.split("\n")[0]).toMatch(/1 unknown/);
    const line = text.split("\n").find((entry) => entry.includes(unreadable)) ?? "";
    expect(line).toMatch(/could not read .*failed attempts.*500/);
  });
});
