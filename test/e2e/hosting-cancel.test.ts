// A client that hangs up cancels its call (issue 18 §3): a diagnose_failures over Streamable HTTP whose client
// destroys its socket mid-scan stops reading Exa. The leak this guards against: a 2025 call's hang-up reached the
// tool only through the SDK's request.clone(), whose abort controller undici holds by WeakRef, so it was lost
// after the first garbage collection mid-call (a plain JSON-RPC answer has no stream write to notice it either).
// So the built bin runs with --trace-gc, and the client hangs up only once the server has collected garbage
// since the call began. Exa's answers are held from just before the hang-up: the server must abandon every
// request parked behind them, so none is served and none follows.
import { type ChildProcess, spawn } from "node:child_process";
import { type ClientRequest, request as httpRequest } from "node:http";
import { Readable } from "node:stream";
import { Client, type ClientOptions, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import type { RecordedRequest } from "../../src/sandbox/http-server.js";
import { BIN_PATH, TEST_API_KEY } from "../helpers/harness.js";
import { seedHistory } from "../helpers/seed.js";
import { quietFor, within } from "../helpers/wait.js";

const TYPES = ["webset.item.created", "webset.item.enriched", "webset.idle"];
/** Far more pages than the test lets it read: the whole scan is ~1,000 pages of attempts. */
const SEEDED_EVENTS = 100_000;
const GC_LINE = /: (Scavenge|Mark-Compact|Minor Mark-Sweep)/g;
let emulator: Emulator;
let server: { url: string; child: ChildProcess; stdout: () => string };
let webhookId: string;

beforeAll(async () => {
  emulator = await startEmulator();
  webhookId = emulator.store.createWebhook({ url: "https://example.com/hook", events: TYPES }).id;
  seedHistory(emulator.store, {
    webhookId,
    events: SEEDED_EVENTS,
    types: TYPES,
    failureRate: 0.3,
    failure: { status: 500, body: "boom" },
    startMs: Date.now() - 20 * 86_400_000,
    stepMs: 10_000,
    seed: 7,
  });
  // Low latency: pages come fast, so garbage piles up and the server collects it within the first pages.
  emulator.faults.latencyMs = 5;
  server = await startTracedBin();
}, 60_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    const closed = new Promise((resolve) => server.child.once("close", resolve));
    server.child.kill("SIGTERM");
    await closed;
  }
  await emulator?.close();
});

/** The built bin over HTTP with V8's GC trace on stdout (which is why the harness's startBin is not used). */
async function startTracedBin(): Promise<typeof server> {
  const child = spawn(process.execPath, ["--trace-gc", BIN_PATH, "--http", "--port", "0"], {
    env: {
      PATH: process.env.PATH ?? "",
      XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "",
      EXA_API_KEY: TEST_API_KEY,
      EXA_BASE_URL: emulator.baseUrl,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const announced = /^(http:\/\/\S+)$/m.exec(stdout)?.[1];
      if (announced) resolve(announced);
    });
    child.once("exit", (code) => reject(new Error(`exited ${code} before announcing; stderr: ${stderr}`)));
  });
  return { url: await within(url, 25_000, () => `no URL announced; stderr: ${stderr}`), child, stdout: () => stdout };
}

function collections(): number {
  return server.stdout().match(GC_LINE)?.length ?? 0;
}

/** A client fetch over node:http whose sockets the test can destroy, as a client that dies or gives up does. */
function hangUpFetch(): { fetch: typeof fetch; hangUp(): number } {
  const open = new Set<ClientRequest>();
  const fetchOverNode = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body = init?.body === undefined || init.body === null ? undefined : String(init.body);
    return new Promise<Response>((resolve, reject) => {
      const request = httpRequest(
        url,
        { method: init?.method ?? "GET", headers: Object.fromEntries(new Headers(init?.headers)), agent: false },
        (response) => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
          }
          const status = response.statusCode ?? 0;
          const stream = status === 202 || status === 204 ? null : (Readable.toWeb(response) as ReadableStream);
          if (!stream) response.resume();
          resolve(new Response(stream, { status, headers }));
        },
      );
      open.add(request);
      request.once("close", () => open.delete(request));
      request.on("error", reject);
      request.end(body);
    });
  }) as typeof fetch;
  const hangUp = () => {
    const count = open.size;
    for (const request of open) request.destroy();
    return count;
  };
  return { fetch: fetchOverNode, hangUp };
}

const CLIENTS: [string, ClientOptions][] = [
  ["a 2025 client (initialize)", { supportedProtocolVersions: ["2025-06-18"] }],
  ["a 2026-07-28 client (stateless requests)", { versionNegotiation: { mode: "auto" } }],
];

describe("a client that hangs up mid-scan, after the server has collected garbage", () => {
  for (const [who, clientOptions] of CLIENTS) {
    for (const [answer, progress] of [
      ["a plain answer", false],
      ["an answer streamed with progress", true],
    ] as const) {
      it(`${who}, ${answer}: the server abandons its Exa requests and asks nothing more`, async () => {
        const wire = hangUpFetch();
        const client = new Client({ name: "hang-up-client", version: "1.0.0" }, clientOptions);
        await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { fetch: wire.fetch }));
        const firstRequest = emulator.requests.length;
        const collectedBefore = collections();
        const call = client.callTool(
          { name: "diagnose_failures", arguments: { webhookId, maxAttempts: 200_000 } },
          progress ? { onprogress: () => {}, timeout: 60_000 } : { timeout: 60_000 },
        );
        call.catch(() => {});
        await expect
          .poll(() => emulator.requests.length, { timeout: 10_000, interval: 5 })
          .toBeGreaterThan(firstRequest);
        await expect
          .poll(collections, { timeout: 15_000, interval: 5, message: "the server never collected garbage" })
          .toBeGreaterThan(collectedBefore);

        // From here Exa's answers wait: every request asked from now on is parked until the release.
        let release = () => {};
        emulator.holdRequestsUntil(new Promise<void>((resolve) => (release = resolve)));
        const held = emulator.requests.length;
        await expect.poll(() => emulator.requests.length, { timeout: 10_000, interval: 5 }).toBeGreaterThan(held);
        expect(wire.hangUp(), "the call's socket was open").toBeGreaterThan(0);
        const open = (request: RecordedRequest) => request.status === undefined && request.clientClosedAt === undefined;
        try {
          await expect
            .poll(() => emulator.requests.slice(firstRequest).filter(open).length, {
              timeout: 10_000,
              interval: 10,
              message: "Exa requests still open after the hang-up",
            })
            .toBe(0);
        } finally {
          release();
        }
        await quietFor(500);
        // Each parked request was abandoned before its answer: none was served, and none followed an answer.
        const parked = emulator.requests.slice(held);
        const served = parked.filter((request) => request.clientClosedAt === undefined);
        expect(
          served.map((request) => `${request.path} ${request.status ?? "open"}`),
          `${held - firstRequest} Exa requests before the hold, ${parked.length} after it`,
        ).toEqual([]);
        await client.close().catch(() => {});
      }, 60_000);
    }
  }
});

describe("over stdio, a client process that dies mid-scan", () => {
  it("ends the server (its stdin closes), and with it every Exa request", async () => {
    const child = spawn(process.execPath, [BIN_PATH], {
      env: {
        PATH: process.env.PATH ?? "",
        XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "",
        EXA_API_KEY: TEST_API_KEY,
        EXA_BASE_URL: emulator.baseUrl,
      },
      stdio: ["pipe", "pipe", "ignore"],
    });
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "dies", version: "1" } },
    });
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    const firstRequest = emulator.requests.length;
    send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "diagnose_failures", arguments: { webhookId, maxAttempts: 200_000 } },
    });
    await expect
      .poll(() => emulator.requests.length, { timeout: 10_000, interval: 5 })
      .toBeGreaterThan(firstRequest + 20);
    // What the kernel does to the pipe when the client process is killed.
    child.stdin.destroy();
    expect(await within(exited, 10_000, () => "the server outlived its client")).toBe(0);
    const atExit = emulator.requests.length;
    await quietFor(500);
    expect(emulator.requests.length - atExit).toBe(0);
    expect(
      emulator.requests
        .slice(firstRequest)
        .filter((request) => request.status === undefined && request.clientClosedAt === undefined),
    ).toEqual([]);
  }, 30_000);
});
