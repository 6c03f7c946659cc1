// Hosting the built bin over --http (issue 11): a bearer token, one Exa key per caller, a sandbox that cannot
// be used as a pivot, transport hygiene, logging on the request's own stream, /healthz, and bad input. The
// server binds 0.0.0.0 or 127.0.0.1; clients come from 127.0.0.2 to stand in for another machine.
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOG_LEVEL_META_KEY } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import type { createWebhookTool } from "../../src/tools/create-webhook.js";
import type { listWebhooksTool } from "../../src/tools/list-webhooks.js";
import type { sandboxEmitEventTool } from "../../src/tools/sandbox-emit-event.js";
import {
  builtBin,
  type OutputOf,
  type RunningBin,
  spawnBuiltServer,
  startBin,
  TEST_API_KEY,
} from "../helpers/harness.js";
import { quietFor } from "../helpers/wait.js";
import {
  AUTH_TOKEN,
  CALLER_KEY_A,
  CALLER_KEY_B,
  closeServer,
  connectHosted,
  type KeyRecorder,
  listen,
  MCP_HEADERS,
  openSocket,
  RAW_SECRETS,
  REMOTE_ADDRESS,
  rawRequest,
  readUntilClosed,
  runBinToExit,
  startKeyRecorder,
  TOOLS_LIST,
} from "./hosting-helpers.js";

let emulator: Emulator;
let recorder: KeyRecorder;
/** Every server started here; their stderr is checked for tokens and keys at the end. */
const bins: RunningBin[] = [];

async function bin(args: string[], env: Record<string, string> = {}): Promise<RunningBin> {
  const running = await startBin(builtBin(["--http", ...args], { EXA_BASE_URL: recorder.baseUrl, ...env }));
  bins.push(running);
  return running;
}

/** stderr and stdout are separate pipes: a line written before the URL may still arrive after it. */
async function waitForStderr(running: RunningBin, text: string): Promise<void> {
  await expect.poll(running.stderr, { timeout: 2_000, interval: 20 }).toContain(text);
}

const authorized = { ...MCP_HEADERS, authorization: `Bearer ${AUTH_TOKEN}` };

beforeAll(async () => {
  emulator = await startEmulator();
  emulator.store.createWebhook({ url: "https://example.com/h", events: ["webset.idle"], id: "webhook_hosted" });
  recorder = await startKeyRecorder(emulator.baseUrl);
});

afterAll(async () => {
  await Promise.all(bins.map((running) => running.stop()));
  for (const running of bins) {
    for (const secret of [...RAW_SECRETS, TEST_API_KEY]) {
      expect(running.stderr(), "a server's stderr holds a token or key").not.toContain(secret);
      expect(running.stdout()).not.toContain(secret);
    }
  }
  await recorder.close();
  await emulator.close();
});

describe("authentication", () => {
  let hosted: RunningBin;
  beforeAll(async () => {
    hosted = await bin(["--host", "0.0.0.0", "--port", "0"], { MCP_AUTH_TOKEN: AUTH_TOKEN });
  });

  it("announces a reachable URL, not 0.0.0.0, and says each request brings its own key", async () => {
    expect(hosted.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    await waitForStderr(
      hosted,
      "EXA_API_KEY is not set: each request must bring its own key in the X-Exa-Api-Key header",
    );
    await waitForStderr(hosted, `other machines reach it at http://`);
  });

  it("answers a request without a token 401 with a Bearer challenge and a JSON-RPC error", async () => {
    const response = await rawRequest(hosted.url, {
      headers: { ...MCP_HEADERS, host: "localhost" },
      body: TOOLS_LIST,
      localAddress: REMOTE_ADDRESS,
    });
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toMatch(/^Bearer /);
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32000 } });
    expect(body.error.message).toContain("Authorization: Bearer <token>");
  });

  it.each([
    ["a wrong token", `Bearer ${AUTH_TOKEN}x`, "not this server's", "invalid_token"],
    ["another scheme", `Basic ${Buffer.from(`u:${AUTH_TOKEN}`).toString("base64")}`, "malformed", "invalid_request"],
    ["no token after Bearer", "Bearer", "malformed", "invalid_request"],
    ["two tokens", `Bearer ${AUTH_TOKEN} ${AUTH_TOKEN}`, "malformed", "invalid_request"],
  ])("refuses %s with 401", async (_, authorization, message, code) => {
    const response = await rawRequest(hosted.url, {
      headers: { ...MCP_HEADERS, authorization },
      body: TOOLS_LIST,
      localAddress: REMOTE_ADDRESS,
    });
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toContain(`error="${code}"`);
    expect(JSON.parse(response.body).error.message).toContain(message);
  });

  it("serves a remote client with the token, whatever Host it sends", async () => {
    const response = await rawRequest(hosted.url, {
      headers: { ...authorized, host: "mcp.example.com" },
      body: TOOLS_LIST,
      localAddress: REMOTE_ADDRESS,
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain("diagnose_failures");
  });

  it("refuses to bind a host that is not loopback without a token (exit 2, naming MCP_AUTH_TOKEN)", async () => {
    const refused = await runBinToExit(["--http", "--host", "0.0.0.0", "--port", "0"], { EXA_API_KEY: TEST_API_KEY });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("MCP_AUTH_TOKEN");
    expect(refused.stderr).toContain("--allow-unauthenticated");
    expect(refused.stdout).toBe("");
    expect(refused.stderr).not.toContain(TEST_API_KEY);
  });

  it("refuses a short token, and two sources of it, without printing it", async () => {
    const short = await runBinToExit(["--http"], { MCP_AUTH_TOKEN: "abc123" });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("at least 16");
    expect(short.stderr).not.toContain("abc123");
    const file = join(tmpdir(), `hosting-token-${process.pid}`);
    writeFileSync(file, `${AUTH_TOKEN}\n`);
    const both = await runBinToExit(["--http", "--auth-token-file", file], { MCP_AUTH_TOKEN: AUTH_TOKEN });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("one way");
  });

  it("--allow-unauthenticated serves a non-loopback bind with a warning on stderr, per-request keys only", async () => {
    const open = await bin(["--host", "0.0.0.0", "--port", "0", "--allow-unauthenticated"]);
    expect(open.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    await waitForStderr(open, "warning: serving 0.0.0.0 without authentication");
    expect(open.stderr()).toContain("each with the Exa key they send in X-Exa-Api-Key");
    const response = await rawRequest(open.url, {
      headers: MCP_HEADERS,
      body: TOOLS_LIST,
      localAddress: REMOTE_ADDRESS,
    });
    expect(response.status).toBe(200);
  });

  it("never serves an operator's EXA_API_KEY without a token, --allow-unauthenticated or not (exit 2)", async () => {
    for (const extra of [[], ["--allow-unauthenticated"], ["--allow-unauthenticated", "--per-request-keys"]]) {
      const refused = await runBinToExit(["--http", "--host", "0.0.0.0", "--port", "0", ...extra], {
        EXA_API_KEY: TEST_API_KEY,
      });
      expect(refused.code, extra.join(" ")).toBe(2);
      expect(refused.stderr).toContain("MCP_AUTH_TOKEN");
      expect(refused.stderr).toContain("--allow-unauthenticated does not lift this");
      expect(refused.stdout).toBe("");
      expect(refused.stderr).not.toContain(TEST_API_KEY);
    }
  });

  it("the image's default command refuses an operator key and serves per-request keys", async () => {
    const dockerfile = readFileSync(join(import.meta.dirname, "../../Dockerfile"), "utf8");
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? "[]") as string[];
    expect(cmd).toContain("--http");
    const withKey = await runBinToExit([...cmd, "--port", "0"], { EXA_API_KEY: TEST_API_KEY });
    expect(withKey.code).toBe(2);
    expect(withKey.stderr).toContain("MCP_AUTH_TOKEN");
    const perRequest = await bin([...cmd.filter((arg) => arg !== "--http"), "--port", "0"]);
    const client = await connectHosted(perRequest.url, { localAddress: REMOTE_ADDRESS, exaKey: CALLER_KEY_A });
    try {
      recorder.keys.length = 0;
      expect((await client.call("get_webhook", { webhookId: "webhook_hosted" })).isError).toBe(false);
      expect(recorder.keys).toEqual([CALLER_KEY_A]);
    } finally {
      await client.close();
    }
  });

  it("--auth-token-file reads the token from a file", async () => {
    const file = join(tmpdir(), `hosting-token-file-${process.pid}`);
    writeFileSync(file, `${AUTH_TOKEN}\n`);
    const fromFile = await bin(["--auth-token-file", file], { EXA_API_KEY: TEST_API_KEY });
    const without = await rawRequest(fromFile.url, { headers: MCP_HEADERS, body: TOOLS_LIST });
    expect(without.status).toBe(401);
    const withToken = await rawRequest(fromFile.url, { headers: authorized, body: TOOLS_LIST });
    expect(withToken.status).toBe(200);
  });

  it("GET /healthz answers 200 without auth and without touching Exa", async () => {
    const before = recorder.keys.length;
    const health = await rawRequest(hosted.url.replace("/mcp", "/healthz"), {
      method: "GET",
      localAddress: REMOTE_ADDRESS,
    });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: "ok" });
    expect(recorder.keys.length).toBe(before);
  });
});

describe("one Exa key per caller", () => {
  let hosted: RunningBin;
  beforeAll(async () => {
    hosted = await bin(["--host", "0.0.0.0", "--port", "0"], { MCP_AUTH_TOKEN: AUTH_TOKEN });
  });

  it("uses each request's X-Exa-Api-Key for that request only, and tells a request without one how to send it", async () => {
    const first = await connectHosted(hosted.url, { token: AUTH_TOKEN, exaKey: CALLER_KEY_A });
    const second = await connectHosted(hosted.url, { token: AUTH_TOKEN, exaKey: CALLER_KEY_B });
    const keyless = await connectHosted(hosted.url, { token: AUTH_TOKEN });
    try {
      recorder.keys.length = 0;
      expect((await first.call("get_webhook", { webhookId: "webhook_hosted" })).isError).toBe(false);
      expect(recorder.keys).toEqual([CALLER_KEY_A]);
      expect((await second.call("get_webhook", { webhookId: "webhook_hosted" })).isError).toBe(false);
      expect(recorder.keys).toEqual([CALLER_KEY_A, CALLER_KEY_B]);
      // Nothing cached from the requests before: no key, no call to Exa.
      const missing = await keyless.call("get_webhook", { webhookId: "webhook_hosted" });
      expect(missing.isError).toBe(true);
      expect(missing.text).toContain("No Exa API key came with this request");
      expect(missing.text).toContain("X-Exa-Api-Key header");
      expect(recorder.keys).toHaveLength(2);
    } finally {
      await Promise.all([first.close(), second.close(), keyless.close()]);
    }
  });

  it("redacts the request's key from that request's outputs, even when the upstream echoes it", async () => {
    const client = await connectHosted(hosted.url, { token: AUTH_TOKEN, exaKey: CALLER_KEY_A });
    try {
      const echoed = await client.call("get_webhook", { webhookId: "webhook_echo" });
      expect(echoed.isError).toBe(true);
      expect(echoed.text).toContain("[redacted]");
      expect(JSON.stringify(echoed.raw)).not.toContain(CALLER_KEY_A);
      // The caller's own text, given back in a created webhook, is hidden too.
      const created = await client.call("create_webhook", {
        url: "https://example.com/own",
        events: ["webset.idle"],
        metadata: { note: `my key is ${CALLER_KEY_A}` },
      });
      expect(created.isError).toBe(false);
      expect(JSON.stringify(created.raw)).not.toContain(CALLER_KEY_A);
    } finally {
      await client.close();
    }
  });

  it("refuses a key header with CR/LF or other bad bytes with a 4xx, and keeps serving others", async () => {
    for (const value of ["abc\rdef-1234", "abc\ndef-1234", "abc\r\n def-1234"]) {
      const socket = await openSocket(hosted.url);
      const answer = readUntilClosed(socket);
      socket.write(
        `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${AUTH_TOKEN}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nX-Exa-Api-Key: ${value}\r\nContent-Length: ${TOOLS_LIST.length}\r\n\r\n${TOOLS_LIST}`,
      );
      const text = await answer;
      expect(text, JSON.stringify(value)).toMatch(/^HTTP\/1\.1 400 /);
      // Node's parser refuses CR or LF in a value; a folded line, if it got through, is refused as a key.
      expect(text).toMatch(/such as CR or LF inside a value|X-Exa-Api-Key header must hold one Exa API key/);
      expect(text).not.toContain("def-1234");
    }
    for (const value of ["k3y9-one, k3y9-two", "k3y9 spaced", "k3y"]) {
      const response = await rawRequest(hosted.url, {
        headers: { ...authorized, "x-exa-api-key": value },
        body: TOOLS_LIST,
        localAddress: REMOTE_ADDRESS,
      });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body).error.message).toContain("X-Exa-Api-Key header must hold one Exa API key");
      expect(response.body).not.toContain(value);
    }
    const fine = await rawRequest(hosted.url, { headers: authorized, body: TOOLS_LIST, localAddress: REMOTE_ADDRESS });
    expect(fine.status).toBe(200);
  });

  it("does not let a remote caller make the server POST to its own host's loopback (redeliver_events)", async () => {
    let hits = 0;
    const internal = createServer((_request, response) => {
      hits++;
      response.end("internal");
    });
    const internalUrl = `${await listen(internal)}/admin`;
    const client = await connectHosted(hosted.url, { token: AUTH_TOKEN, exaKey: CALLER_KEY_A });
    try {
      const answer = await client.call("redeliver_events", {
        webhookId: "webhook_hosted",
        eventIds: ["event_x1"],
        targetUrl: internalUrl,
        dryRun: false,
        secret: "whsec_irrelevant_0123456789",
      });
      expect(answer.isError).toBe(true);
      expect(answer.text).toContain("served to other machines, so it sends nothing to loopback addresses");
      expect(answer.text).toContain("Nothing was sent.");
      expect(hits).toBe(0);
    } finally {
      await client.close();
      await closeServer(internal);
    }
  });

  it("with EXA_API_KEY a key header is refused (400, saying why), unless --per-request-keys lets it win", async () => {
    const serverKeyed = await bin([], { EXA_API_KEY: TEST_API_KEY });
    const overriding = await bin(["--per-request-keys"], { EXA_API_KEY: TEST_API_KEY });
    recorder.keys.length = 0;
    const refused = await rawRequest(serverKeyed.url, {
      headers: { ...MCP_HEADERS, "x-exa-api-key": CALLER_KEY_A },
      body: TOOLS_LIST,
    });
    expect(refused.status).toBe(400);
    const message = JSON.parse(refused.body).error.message as string;
    expect(message).toContain("operator's EXA_API_KEY");
    expect(message).toContain("--per-request-keys");
    expect(message).not.toContain(CALLER_KEY_A);
    for (const [running, exaKey] of [
      [serverKeyed, undefined],
      [overriding, CALLER_KEY_B],
      [overriding, undefined],
    ] as const) {
      const client = await connectHosted(running.url, { localAddress: "127.0.0.1", ...(exaKey ? { exaKey } : {}) });
      try {
        expect((await client.call("get_webhook", { webhookId: "webhook_hosted" })).isError).toBe(false);
      } finally {
        await client.close();
      }
    }
    expect(recorder.keys).toEqual([TEST_API_KEY, CALLER_KEY_B, TEST_API_KEY]);
  });
});

describe("--sandbox over a non-loopback bind", () => {
  let sandbox: RunningBin;
  let internalHits = 0;
  let internal: ReturnType<typeof createServer>;
  let internalUrl: string;
  beforeAll(async () => {
    // An internal service on the host's loopback that a remote caller must not reach through the server.
    internal = createServer((_request, response) => {
      internalHits++;
      response.end("internal-service-reply-5e1f");
    });
    internalUrl = `${await listen(internal)}/admin`;
    sandbox = await bin(["--sandbox", "--host", "0.0.0.0", "--port", "0"], { MCP_AUTH_TOKEN: AUTH_TOKEN });
  });
  afterAll(async () => {
    await closeServer(internal);
  });

  it("delivers only to its demo receivers: nothing reaches another service on the host", async () => {
    const client = await connectHosted(sandbox.url, { token: AUTH_TOKEN });
    try {
      const created = await client.call("create_webhook", { url: internalUrl, events: ["webset.idle"] });
      expect(created.isError).toBe(false);
      const webhookId = (created.structured as OutputOf<typeof createWebhookTool>).webhook.id;
      const emitted = await client.call("sandbox_emit_event", { type: "webset.idle", webhookId });
      expect(emitted.isError).toBe(false);
      const listAttempts = () => client.call("list_webhook_attempts", { webhookId });
      await expect
        .poll(async () => (await listAttempts()).text, { timeout: 5_000, interval: 100 })
        .toContain("Not sent: this sandbox is served to other machines");
      const attempts = await listAttempts();
      expect(attempts.text).toContain("Not sent: this sandbox is served to other machines");
      expect(attempts.text).not.toContain("internal-service-reply");
      const redelivered = await client.call("redeliver_events", {
        webhookId,
        eventIds: [(emitted.structured as OutputOf<typeof sandboxEmitEventTool>).eventId],
        targetUrl: internalUrl,
        dryRun: false,
        secret: "whsec_irrelevant_0123456789",
      });
      expect(redelivered.isError).toBe(true);
      expect(redelivered.text).toContain("demo receivers");
      expect(redelivered.text).toContain("Nothing was sent.");
      expect(internalHits).toBe(0);

      // The demo still works: a seeded webhook's own receiver gets the event.
      const listed = await client.call("list_webhooks", {});
      const demo = (listed.structured as OutputOf<typeof listWebhooksTool>).webhooks.find((webhook) =>
        webhook.url.startsWith("http://127.0.0.1"),
      );
      expect(demo).toBeDefined();
      const demoEmit = await client.call("sandbox_emit_event", { type: "webset.idle", webhookId: demo?.id });
      expect(demoEmit.isError).toBe(false);
      expect(demoEmit.text).not.toContain("Not sent");
      await waitForStderr(sandbox, "The sandbox delivers only to its own demo receivers");
    } finally {
      await client.close();
    }
  });
});

describe("transport hygiene", () => {
  let local: RunningBin;
  beforeAll(async () => {
    local = await bin([], { EXA_API_KEY: TEST_API_KEY, MCP_ALLOWED_ORIGINS: "https://app.example.com" });
  });

  it("compares Origin as a whole origin: scheme, host and port", async () => {
    const status = async (origin: string) =>
      (await rawRequest(local.url, { headers: { ...MCP_HEADERS, origin }, body: TOOLS_LIST })).status;
    expect(await status(`http://127.0.0.1:${local.port}`)).toBe(200);
    expect(await status(`http://localhost:${local.port}`)).toBe(200);
    expect(await status("https://app.example.com")).toBe(200);
    expect(await status(`http://localhost:${local.port + 1}`)).toBe(403);
    expect(await status(`https://127.0.0.1:${local.port}`)).toBe(403);
    expect(await status("http://app.example.com")).toBe(403);
    expect(await status("null")).toBe(403);
  });

  it("answers an oversize body 413, declared or streamed, and keeps serving", async () => {
    const declared = await rawRequest(local.url, {
      headers: { ...MCP_HEADERS, "content-length": String(2 * 1024 * 1024) },
      body: Buffer.alloc(2 * 1024 * 1024, 0x20),
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.message).toContain("Payload too large");
    // 100 MB: read and discarded, then answered, so the client gets the answer, not EPIPE or a reset.
    const huge = await fetch(local.url, {
      method: "POST",
      headers: MCP_HEADERS,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/list",
        params: { pad: "x".repeat(100 * 1024 * 1024) },
      }),
    });
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain("Payload too large");
    // Chunked, no length declared: read up to the limit, then 413.
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const streamed = await fetch(local.url, {
      method: "POST",
      headers: MCP_HEADERS,
      duplex: "half",
      body: new ReadableStream({
        pull(controller) {
          if (sent++ >= 32) controller.close();
          else controller.enqueue(chunk);
        },
      }),
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.text()).toMatch(/Payload Too Large/i);
    const fine = await rawRequest(local.url, { headers: MCP_HEADERS, body: TOOLS_LIST });
    expect(fine.status).toBe(200);
  });

  it("honours PORT when --port is absent", async () => {
    const probe = createServer();
    const free = Number(new URL(await listen(probe)).port);
    await closeServer(probe);
    const onPort = await bin([], { EXA_API_KEY: TEST_API_KEY, PORT: String(free) });
    expect(onPort.url).toBe(`http://127.0.0.1:${free}/mcp`);
    const refused = await runBinToExit(["--http"], { PORT: "http" });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("PORT must be 0-65535");
  });

  it("gives a slow-loris client a timeout that frees the socket, while others are served", async () => {
    const hosted = await bin(["--port", "0"], { EXA_API_KEY: TEST_API_KEY, MCP_HEADERS_TIMEOUT_MS: "300" });
    const socket = await openSocket(hosted.url, "127.0.0.1");
    const answer = readUntilClosed(socket);
    socket.write("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write("X-Slow: 1\r\n");
    }, 50);
    try {
      const fine = await rawRequest(hosted.url, { headers: MCP_HEADERS, body: TOOLS_LIST });
      expect(fine.status).toBe(200);
      expect(await answer).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
      expect(socket.destroyed).toBe(true);
    } finally {
      clearInterval(trickle);
    }
  });
});

describe("logging and progress over HTTP go on the request's own stream", () => {
  let sandbox: RunningBin;
  /** How many log messages the same diagnosis sends over stdio, where they share the one stream. */
  let stdioLogs: number;
  beforeAll(async () => {
    sandbox = await bin(["--sandbox", "--port", "0"]);
    const server = await spawnBuiltServer(["--sandbox"]);
    try {
      await server.client.setLoggingLevel("info");
      await server.call("diagnose_failures", {});
      await quietFor(100);
      stdioLogs = server.logs.length;
    } finally {
      await server.close();
    }
  });

  it.each([
    ["2025", { supportedProtocolVersions: ["2025-11-25"] }],
    ["2026-07-28", { versionNegotiation: { mode: "auto" as const } }],
  ])("a %s client gets the diagnosis' log messages and progress, before the result", async (era, options) => {
    expect(stdioLogs).toBeGreaterThan(0);
    const hosted = await connectHosted(sandbox.url, { localAddress: "127.0.0.1", client: options });
    try {
      if (era === "2025") await hosted.client.setLoggingLevel("info");
      const seen: string[] = [];
      hosted.client.setNotificationHandler("notifications/message", () => {
        seen.push("log");
      });
      const result = await hosted.client.callTool(
        {
          name: "diagnose_failures",
          arguments: {},
          ...(era === "2025" ? {} : { _meta: { [LOG_LEVEL_META_KEY]: "info" } }),
        },
        {
          onprogress: () => {
            seen.push("progress");
          },
        },
      );
      seen.push("result");
      expect(result.isError).not.toBe(true);
      // Sent on the call's own response stream, so all of them arrive before its result.
      expect(seen.filter((item) => item === "log")).toHaveLength(stdioLogs);
      expect(seen).toContain("progress");
      expect(seen.at(-1)).toBe("result");
    } finally {
      await hosted.close();
    }
  });
});
