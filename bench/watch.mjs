// The watch bench (issue 22): ticks of `exa-webhooks-mcp watch` (the built bin) on a 50-webhook account at
// 100 ms per request. The first tick reads every webhook in full (the baseline); an unchanged account then
// costs the webhook list plus one newest-attempt page of limit 1 per webhook (target ≤ 51 requests a tick);
// a tick after one webhook got a new attempt re-reads that one only. Requests are counted at the emulator:
// each tick begins with its one list request. Prints a markdown table.
//   node bench/watch.mjs            (standalone; `npm run bench` includes it)
import { spawn } from "node:child_process";
import { loadEmulatorModule } from "./lib/emulator.mjs";
import { DIST_BIN } from "./lib/paths.mjs";
import { markdownTable, verdict } from "./lib/table.mjs";

const WEBHOOKS = 50;
const ATTEMPTS_PER_WEBHOOK = 60;
const LATENCY_MS = 100;
const UNCHANGED_TICKS = 4;
const TARGET = WEBHOOKS + 1;
const KEY = "bench-key-watch-0000000000";

function seed(emulator) {
  const now = Date.now();
  const ids = [];
  for (let w = 0; w < WEBHOOKS; w++) {
    const webhook = emulator.store.createWebhook({
      url: `https://receiver-${w}.example.com/hook`,
      events: ["webset.created", "webset.item.created"],
      metadata: { name: `bench-${w}` },
      createdAt: now - 48 * 3_600_000,
    });
    const attempts = [];
    for (let a = 0; a < ATTEMPTS_PER_WEBHOOK; a++)
      attempts.push({
        webhookId: webhook.id,
        eventType: a % 2 ? "webset.created" : "webset.item.created",
        successful: w % 5 !== 0 || a % 3 !== 0,
        attemptedAt: now - (ATTEMPTS_PER_WEBHOOK - a) * 60_000,
      });
    emulator.store.addAttempts(attempts);
    ids.push(webhook.id);
  }
  return ids;
}

/** Requests per tick: the log cut at each list request (a tick's first). */
function ticksFrom(requests) {
  const ticks = [];
  for (const request of requests) {
    const kind = request.path.endsWith("/webhooks")
      ? "list"
      : request.query.get("limit") === "1" && !request.query.has("cursor") && !request.query.has("successful")
        ? "probe"
        : "scan";
    if (kind === "list") ticks.push({ list: 0, probe: 0, scan: 0, first: request.at, last: request.at });
    const tick = ticks.at(-1);
    if (!tick) continue;
    tick[kind]++;
    tick.last = request.at;
  }
  return ticks;
}

export async function benchWatch({ emulatorModule, log }) {
  const emulator = await emulatorModule.startEmulator();
  const ids = seed(emulator);
  emulator.faults.latencyMs = LATENCY_MS;
  const child = spawn(
    process.execPath,
    [DIST_BIN, "watch", "--interval", "1s", "--output", "json", "--store", "memory"],
    {
      env: { PATH: process.env.PATH ?? "", EXA_API_KEY: KEY, EXA_BASE_URL: emulator.baseUrl },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let buffered = "";
  let ticksSeen = 0;
  let onTick = () => {};
  child.stdout.on("data", (chunk) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      if (JSON.parse(line).type !== "tick") continue;
      ticksSeen++;
      onTick();
    }
  });
  const ticks = (n) =>
    new Promise((resolve) => {
      onTick = () => ticksSeen >= n && resolve();
      onTick();
    });
  try {
    log(`watch: ${WEBHOOKS} webhooks × ${ATTEMPTS_PER_WEBHOOK} attempts at ${LATENCY_MS} ms a request`);
    await ticks(1 + UNCHANGED_TICKS);
    // One webhook gets a new attempt: the next tick re-reads that one only.
    emulator.store.addAttempt({ webhookId: ids[7], eventType: "webset.created", successful: false });
    await ticks(2 + UNCHANGED_TICKS + 1);
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("close", resolve));
    await emulator.close();
  }
  const measured = ticksFrom(emulator.requests).slice(0, 2 + UNCHANGED_TICKS);
  const rows = [
    ["tick", "account", "requests", "list", "newest-attempt probes", "full reads", "wall (ms)", `target ≤ ${TARGET}`],
  ];
  measured.forEach((tick, index) => {
    const total = tick.list + tick.probe + tick.scan;
    const what = index === 0 ? "first look (baseline)" : index <= UNCHANGED_TICKS ? "unchanged" : "1 webhook changed";
    const target = index === 0 ? "n/a" : index <= UNCHANGED_TICKS ? verdict(total <= TARGET) : "n/a";
    rows.push([index + 1, what, total, tick.list, tick.probe, tick.scan, tick.last - tick.first + LATENCY_MS, target]);
  });
  const markdown = [
    `## Watch ticks: ${WEBHOOKS} webhooks, ${LATENCY_MS} ms per request`,
    "",
    markdownTable(rows),
    "",
    `Wall is from a tick's first request to its last answer. Lanes: EXA_MAX_CONCURRENCY (default 4).`,
  ].join("\n");
  return { markdown };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const emulatorModule = await loadEmulatorModule();
  const { markdown } = await benchWatch({ emulatorModule, log: (message) => process.stderr.write(`${message}\n`) });
  process.stdout.write(`${markdown}\n`);
}
