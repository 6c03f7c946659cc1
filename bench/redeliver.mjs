// redeliver_events bench: 1,000 undelivered events replayed through the built server over stdio to a
// receiver on 127.0.0.1 that checks every Exa-Signature with its own HMAC code. Exa is the emulator;
// the receiver answers after 0 or 20 ms. Prints a markdown table. Run: npm run build && node bench/redeliver.mjs
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { loadEmulatorModule } from "./lib/emulator.mjs";
import { callForBench, withBuiltServer } from "./lib/mcp.mjs";
import { DIST_BIN } from "./lib/paths.mjs";
import { fixed, markdownTable, thousands } from "./lib/table.mjs";

const EVENTS = 1000;
const API_KEY = "exa-bench-key";
const SCENARIOS = [
  { receiverDelayMs: 0, concurrency: undefined },
  { receiverDelayMs: 0, concurrency: 8 },
  { receiverDelayMs: 20, concurrency: undefined },
  { receiverDelayMs: 20, concurrency: 8 },
];

/** A receiver written like a user's: raw body, HMAC-SHA256 of `${t}.${body}`, timing-safe compare. */
async function startVerifyingReceiver(delayMs) {
  const state = { secret: "", valid: 0, invalid: 0, ids: new Set(), duplicates: 0 };
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks);
      const header = String(request.headers["exa-signature"] ?? "");
      const t = /(?:^|,)t=(\d+)/.exec(header)?.[1];
      const v1 = [...header.matchAll(/v1=([0-9a-f]+)/g)].map((match) => Buffer.from(match[1], "hex"));
      const expected = t ? createHmac("sha256", state.secret).update(`${t}.`).update(raw).digest() : undefined;
      const ok = !!expected && v1.some((given) => given.length === expected.length && timingSafeEqual(given, expected));
      ok ? state.valid++ : state.invalid++;
      const id = JSON.parse(raw.toString("utf8")).id;
      if (state.ids.has(id)) state.duplicates++;
      state.ids.add(id);
      setTimeout(() => {
        response.writeHead(ok ? 200 : 401, { "content-type": "text/plain" });
        response.end(ok ? "ok" : "invalid signature");
      }, delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/webhooks/exa`,
    state,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** The floor on this machine now: the same GET + POST per event with fetch, 4 lanes, no MCP, no signing. */
async function bareRoundTrips(emulator, receiver, eventIds) {
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < eventIds.length) {
      const id = eventIds[next++];
      const event = await fetch(`${emulator.baseUrl}/websets/v0/events/${id}`, { headers: { "x-api-key": API_KEY } });
      const body = await event.text();
      const posted = await fetch(receiver.url, {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      });
      await posted.text();
    }
  };
  await Promise.all(Array.from({ length: 4 }, lane));
  return performance.now() - started;
}

const emulatorModule = await loadEmulatorModule();
const rows = [
  [
    "receiver delay",
    "EXA_MAX_CONCURRENCY",
    "dry run (ms)",
    "redeliver 1,000 (ms)",
    "events/s",
    "Exa requests",
    "signatures valid",
    "duplicates",
    "bare fetch floor (ms)",
  ],
];
for (const scenario of SCENARIOS) {
  const emulator = await emulatorModule.startEmulator();
  const receiver = await startVerifyingReceiver(scenario.receiverDelayMs);
  try {
    const webhook = emulator.store.createWebhook({ url: receiver.url, events: ["webset.item.created"] });
    receiver.state.secret = webhook.secret;
    const now = Date.now();
    const attempts = [];
    const eventIds = [];
    for (let i = 0; i < EVENTS; i++) {
      const event = emulator.store.addEvent({ type: "webset.item.created", createdAt: now - 3_600_000 + i });
      eventIds.push(event.id);
      attempts.push({
        webhookId: webhook.id,
        eventId: event.id,
        responseStatusCode: 503,
        attemptedAt: now - 3_000_000 + i,
      });
    }
    emulator.store.addAttempts(attempts);
    const env = {
      EXA_BASE_URL: emulator.baseUrl,
      EXA_API_KEY: API_KEY,
      EXA_WEBHOOK_SECRETS: `${webhook.id}=${webhook.secret}`,
      EXA_DIAGNOSE_BUDGET_MS: "600000",
      ...(scenario.concurrency ? { EXA_MAX_CONCURRENCY: String(scenario.concurrency) } : {}),
    };
    const args = { webhookId: webhook.id, undelivered: true, maxEvents: EVENTS };
    const measured = await withBuiltServer(DIST_BIN, env, async ({ client }) => {
      let started = performance.now();
      await callForBench(client, "redeliver_events", args);
      const dryRunMs = performance.now() - started;
      emulator.requests.length = 0;
      started = performance.now();
      const sent = await callForBench(client, "redeliver_events", { ...args, dryRun: false });
      const sendMs = performance.now() - started;
      const { valid, duplicates } = receiver.state;
      return { dryRunMs, sendMs, requests: emulator.requests.length, sent, valid, duplicates };
    });
    const floorMs = await bareRoundTrips(emulator, receiver, eventIds);
    const delivered = measured.sent.structured.delivered;
    if (delivered !== EVENTS) throw new Error(`expected ${EVENTS} delivered, got ${delivered}`);
    rows.push([
      `${scenario.receiverDelayMs} ms`,
      scenario.concurrency ?? "4 (default)",
      fixed(measured.dryRunMs),
      fixed(measured.sendMs),
      fixed((EVENTS / measured.sendMs) * 1000),
      thousands(measured.requests),
      `${measured.valid}/${EVENTS}`,
      measured.duplicates,
      fixed(floorMs),
    ]);
    process.stderr.write(
      `redeliver bench: delay ${scenario.receiverDelayMs} ms, concurrency ${scenario.concurrency ?? 4} done\n`,
    );
  } finally {
    await receiver.close();
    await emulator.close();
  }
}
process.stdout.write(
  `## redeliver_events: 1,000 events to a local receiver\n\nEach call: a fresh scan for undelivered events, then per event one GET /v0/events/{id} and one signed POST. Both calls of a row run on one server; the dry run reads the same events without POSTing. The floor is the same GET + POST per event done with bare fetch in 4 lanes on this machine at the same time: the cost of loopback HTTP here, without MCP or signing.\n\n${markdownTable(rows)}\n`,
);
