// A client that hangs up cancels its call (issue 18 §3): a diagnose_failures over Streamable HTTP whose client
// destroys its socket mid-scan stops reading Exa, as a stdio call stops when its client cancels. The built bin
// serves on loopback; the emulator answers every page slowly, so a scan of this history lasts far longer than
// the test looks for, and the requests it makes after the hang-up are counted.
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import { builtBin, type RunningBin, startBin, TEST_API_KEY } from "../helpers/harness.js";
import { seedHistory } from "../helpers/seed.js";
import { MCP_HEADERS } from "./hosting-helpers.js";

const TYPES = ["webset.item.created", "webset.item.enriched", "webset.idle"];
let emulator: Emulator;
let server: RunningBin;
let webhookId: string;

beforeAll(async () => {
  emulator = await startEmulator();
  webhookId = emulator.store.createWebhook({ url: "https://example.com/hook", events: TYPES }).id;
  seedHistory(emulator.store, {
    webhookId,
    events: 20_000,
    types: TYPES,
    failureRate: 0.3,
    failure: { status: 500, body: "boom" },
    startMs: Date.now() - 20 * 86_400_000,
    stepMs: 60_000,
    seed: 7,
  });
  // 55 pages of attempts at 200 ms each, 4 at a time: the scan would go on for seconds after the hang-up.
  emulator.faults.latencyMs = 200;
  server = await startBin(
    builtBin(["--http", "--port", "0"], { EXA_API_KEY: TEST_API_KEY, EXA_BASE_URL: emulator.baseUrl }),
  );
});

afterAll(async () => {
  await server?.stop();
  await emulator?.close();
});

/** Sends a 2025-style stateless tools/call; hangUp() destroys its socket, whether or not an answer has begun. */
function startCall(url: string, body: string): { hangUp(): void } {
  const request = httpRequest(
    url,
    { method: "POST", headers: { ...MCP_HEADERS, "mcp-protocol-version": "2025-06-18" }, agent: false },
    (response) => response.resume(),
  );
  request.on("error", () => {});
  request.end(body);
  return { hangUp: () => request.destroy() };
}

function attemptPagesAsked(): number {
  return emulator.requests.filter((request) => request.path.endsWith("/attempts")).length;
}

describe("a client that hangs up", () => {
  for (const [when, progressToken] of [
    ["before its answer has begun", undefined],
    ["after its progress stream has begun", 1],
  ] as const) {
    it(`${when}: the diagnosis stops asking Exa once the requests in flight end`, async () => {
      emulator.requests.length = 0;
      const call = JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: {
          name: "diagnose_failures",
          arguments: { webhookId },
          ...(progressToken === undefined ? {} : { _meta: { progressToken } }),
        },
      });
      const running = startCall(server.url, call);
      await expect.poll(attemptPagesAsked, { timeout: 15_000, interval: 20 }).toBeGreaterThanOrEqual(8);
      running.hangUp();
      // The pages already asked for (at most the concurrency, 4) are recorded on arrival; nothing after them.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const settled = attemptPagesAsked();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(attemptPagesAsked() - settled, `${settled} pages when it settled`).toBe(0);
      expect(settled).toBeLessThan(30);
    });
  }
});
