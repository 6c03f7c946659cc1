// listen bench (issue 21): the built bin's `listen` against the emulator (20 ms added to every API answer) and
// a receiver on 127.0.0.1, with a real SQLite store. Backfill: 10,000 events with --since, forwarded one by
// one in order (each claimed, POSTed signed on the kept connection, recorded; the cursor saved every 250 ms).
// Live: events emitted while it polls, latency from an event becoming listable to its POST arriving. Prints a
// markdown table, with the machine's load average (the figures move with it on a shared machine).
// Run: npm run build && node bench/listen.mjs   (LISTEN_BENCH_EVENTS, LISTEN_BENCH_LIVE, LISTEN_BENCH_NODE_ARGS)
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { loadEmulatorModule } from "./lib/emulator.mjs";
import { DIST_BIN } from "./lib/paths.mjs";
import { fixed, markdownTable, thousands, verdict } from "./lib/table.mjs";

const BACKFILL_EVENTS = Number(process.env.LISTEN_BENCH_EVENTS ?? 10_000);
const API_LATENCY_MS = 20;
const LIVE_EVENTS = Number(process.env.LISTEN_BENCH_LIVE ?? 20);
const POLL_MS = 2_000;
/** e.g. LISTEN_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the listener. */
const NODE_ARGS = (process.env.LISTEN_BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
const TYPE = "webset.item.created";
const API_KEY = "exa-bench-key";

/** A receiver that answers 200 at once and notes when each event id arrived (and any id twice). */
async function startReceiver() {
  const state = { arrivals: new Map(), duplicates: 0, onArrival: () => {} };
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const id = JSON.parse(Buffer.concat(chunks).toString("utf8")).id;
      if (state.arrivals.has(id)) state.duplicates++;
      else state.arrivals.set(id, performance.now());
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("ok");
      state.onArrival();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/webhooks/exa`,
    state,
    /** Resolves once `count` distinct events have arrived. */
    until(count) {
      return new Promise((resolve) => {
        state.onArrival = () => state.arrivals.size >= count && resolve();
        state.onArrival();
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(resolve);
      }),
  };
}

function startListen(emulator, receiver, store, args) {
  const child = spawn(
    process.execPath,
    [...NODE_ARGS, DIST_BIN, "listen", "--forward-to", receiver.url, "--events", TYPE, "--output", "quiet", ...args],
    {
      env: {
        PATH: process.env.PATH ?? "",
        EXA_API_KEY: API_KEY,
        EXA_BASE_URL: emulator.baseUrl,
        EXA_LISTEN_POLL_MS: String(POLL_MS),
        EXA_WEBHOOKS_STORE: store,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const exited = new Promise((resolve) => child.once("close", resolve));
  return {
    /** CPU seconds (user + system) the listener process has used so far (Linux; undefined elsewhere). */
    cpuSeconds: () => {
      try {
        const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ");
        return (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        return undefined;
      }
    },
    stop: async () => {
      child.kill("SIGINT");
      return exited;
    },
  };
}

/** One round trip as this machine runs it now: a one-event listing and a POST to the receiver, median of 5. */
async function measureRoundTrip(emulator, receiverUrl) {
  const samples = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const listed = await fetch(`${emulator.baseUrl}/websets/v0/events?types=${TYPE}&limit=1`, {
      headers: { "x-api-key": API_KEY },
    });
    await listed.text();
    const posted = await fetch(receiverUrl, { method: "POST", body: JSON.stringify({ id: `round_trip_${i}` }) });
    await posted.text();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[2];
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** A seeded generator, so the live schedule is the same every run. */
function seeded(seed) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

export async function benchListen(emulatorModule, log) {
  const dir = mkdtempSync(join(tmpdir(), "listen-bench-"));
  const loadAtStart = loadavg()[0];
  const emulator = await emulatorModule.startEmulator();
  try {
    // Backfill: 10,000 events over the last ~17 minutes, 100 ms apart.
    const now = Date.now();
    for (let i = 0; i < BACKFILL_EVENTS; i++) {
      emulator.store.addEvent({ type: TYPE, createdAt: new Date(now - (BACKFILL_EVENTS - i) * 100).toISOString() });
    }
    emulator.faults.latencyMs = API_LATENCY_MS;
    const receiver = await startReceiver();
    log(`listen backfill: ${BACKFILL_EVENTS} events at ${API_LATENCY_MS} ms API latency`);
    const started = performance.now();
    const backfill = startListen(emulator, receiver, process.env.LISTEN_BENCH_STORE ?? join(dir, "backfill.db"), [
      "--since",
      "1h",
    ]);
    await receiver.until(BACKFILL_EVENTS);
    const backfillSeconds = (performance.now() - started) / 1000;
    const cpuSeconds = backfill.cpuSeconds();
    const firstPostSeconds = (Math.min(...receiver.state.arrivals.values()) - started) / 1000;
    await backfill.stop();
    const listRequests = emulator.requests.filter((request) => request.path.endsWith("/events")).length;
    const duplicates = receiver.state.duplicates;
    const roundTripMs = await measureRoundTrip(emulator, receiver.url);
    await receiver.close();

    // Live: events added while a fresh listener polls, 0.3–1.5 s apart so events keep flowing.
    const live = await startReceiver();
    const listener = startListen(emulator, live, join(dir, "live.db"), []);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const random = seeded(21);
    const added = new Map();
    log(`listen live: ${LIVE_EVENTS} events emitted while it polls every ${POLL_MS} ms`);
    for (let i = 0; i < LIVE_EVENTS; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300 + random() * 1_200));
      added.set(emulator.store.addEvent({ type: TYPE }).id, performance.now());
    }
    await live.until(LIVE_EVENTS);
    await listener.stop();
    const latencies = [...added].map(([id, at]) => live.state.arrivals.get(id) - at).sort((a, b) => a - b);
    await live.close();
    const p95 = percentile(latencies, 95);
    const rate = BACKFILL_EVENTS / backfillSeconds;

    const markdown = [
      "### listen (issue 21)",
      "",
      markdownTable([
        ["measure", "value", "target", ""],
        [
          `backfill ${thousands(BACKFILL_EVENTS)} events, ${API_LATENCY_MS} ms API latency, SQLite store`,
          `${fixed(rate)} events/s (${fixed(backfillSeconds, 1)} s, first POST after ${fixed(firstPostSeconds, 1)} s, ${listRequests} list requests, ${duplicates} duplicates${cpuSeconds === undefined ? "" : `; listener CPU ${fixed((cpuSeconds * 1000) / BACKFILL_EVENTS, 2)} ms/event`})`,
          "≥ 500 events/s",
          verdict(rate >= 500 && duplicates === 0),
        ],
        [
          `live latency, listable → POST (${LIVE_EVENTS} events, poll every ${POLL_MS} ms)`,
          `p50 ${fixed(percentile(latencies, 50))} ms, p95 ${fixed(p95)} ms, max ${fixed(latencies.at(-1))} ms`,
          `p95 ≤ ${fixed(POLL_MS + roundTripMs)} ms (interval + one round trip of ${fixed(roundTripMs)} ms)`,
          verdict(p95 <= POLL_MS + roundTripMs),
        ],
      ]),
      "",
      `Forwarding is in order, one POST at a time: each event is claimed in the ledger (the next one while the current POST is in flight), POSTed signed on a connection kept to the checked address, and recorded before the next goes out. The live figure holds while events flow and for 30 s after the last one; after a longer idle spell the wait grows to ${(POLL_MS * 10) / 1000} s, so the first event after it may take up to that.`,
      "",
      `Load average (1 min) ${fixed(loadAtStart, 1)} at the start and ${fixed(loadavg()[0], 1)} at the end, on ${availableParallelism()} cores.`,
    ].join("\n");
    return { markdown };
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const log = (message) =>
    process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
  const { markdown } = await benchListen(await loadEmulatorModule(), log);
  process.stdout.write(`${markdown}\n`);
}
