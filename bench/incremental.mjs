// Issue 22's bench: the second diagnosis of the 100k-attempt account after 1,000 new attempts, through the built
// server over stdio with a SQLite store, behind 100 ms of latency. Target: at most 5% of the first scan's
// requests and 10% of its wall time. Runs alone with `node bench/incremental.mjs` (after `npm run build`);
// BENCH_PROF=DIR writes the server's CPU profile into DIR; BENCH_BIN=PATH runs another build (before/after).
import { rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadEmulatorModule } from "./lib/emulator.mjs";
import { SUBSCRIBED_TYPES, seedDeliveryHistory, TYPE_MIXES } from "./lib/history.mjs";
import { callForBench, withBuiltServer } from "./lib/mcp.mjs";
import { benchDir, DIST_BIN } from "./lib/paths.mjs";
import { fixed, markdownTable, thousands, verdict } from "./lib/table.mjs";

const ATTEMPTS = 100_000;
const NEW_ATTEMPTS = 1_000;
const LATENCY_MS = 100;
const API_KEY = "exa-bench-key";
const TARGETS = { requestShare: 0.05, wallShare: 0.1 };

/** @param {typeof import("../src/sandbox/emulator.js")} emulatorModule */
export async function benchIncremental(emulatorModule, log) {
  const emulator = await emulatorModule.startEmulator();
  const storePath = join(benchDir("incremental"), "state.db");
  rmSync(storePath, { force: true });
  try {
    const endMs = Date.now() - 2 * 3_600_000;
    const webhook = emulator.store.createWebhook({
      url: "https://hooks.acme.dev/api/webhooks/exa",
      events: SUBSCRIBED_TYPES,
      createdAt: endMs - 15 * 86_400_000,
    });
    seedDeliveryHistory(emulator.store, {
      webhookId: webhook.id,
      attempts: ATTEMPTS,
      endMs,
      typeWeights: TYPE_MIXES.realistic,
    });
    const env = {
      EXA_BASE_URL: emulator.baseUrl,
      EXA_API_KEY: API_KEY,
      EXA_WEBHOOKS_STORE: storePath,
      ...(process.env.BENCH_PROF ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROF}` } : {}),
    };
    emulator.faults.latencyMs = LATENCY_MS;
    const runs = await withBuiltServer(process.env.BENCH_BIN ?? DIST_BIN, env, async ({ client, serverCpuMs }) => {
      const call = (label) => async () => {
        log(`incremental: diagnose_failures, ${label}`);
        const started = performance.now();
        const cpuBefore = serverCpuMs();
        const answer = await callForBench(client, "diagnose_failures", { webhookId: webhook.id, maxAttempts: 200_000 });
        const cpuMs = (serverCpuMs() ?? Number.NaN) - (cpuBefore ?? Number.NaN);
        return { label, wallMs: performance.now() - started, cpuMs, ...answer };
      };
      const first = await counting(emulator, call("first scan (empty store)"));
      // New since the first look: Exa creates events and attempts at the time they happen.
      addNewAttempts(emulator.store, webhook.id, Date.now() - 9 * 60_000);
      const second = await counting(emulator, call(`second, after ${thousands(NEW_ATTEMPTS)} new attempts`));
      return [first, second];
    });
    return { runs, markdown: render(runs) };
  } finally {
    await emulator.close();
    rmSync(storePath, { force: true });
  }
}

/** 1,000 attempts from `fromMs`, 0.5 s apart: new events, one in ten failing once and then delivered. */
function addNewAttempts(store, webhookId, fromMs) {
  const inputs = [];
  for (let i = 0; inputs.length < NEW_ATTEMPTS; i++) {
    const eventId = `event_new_${i}`;
    const eventType = SUBSCRIBED_TYPES[i % SUBSCRIBED_TYPES.length];
    const at = fromMs + i * 500;
    store.addEvent({ id: eventId, type: eventType, createdAt: at - 400 });
    const fails = i % 10 === 0;
    inputs.push({
      webhookId,
      eventId,
      eventType,
      attempt: 1,
      attemptedAt: at,
      successful: !fails,
      responseStatusCode: fails ? 503 : 200,
    });
    if (fails && inputs.length < NEW_ATTEMPTS)
      inputs.push({
        webhookId,
        eventId,
        eventType,
        attempt: 2,
        attemptedAt: at + 1_000,
        successful: true,
        responseStatusCode: 200,
      });
  }
  store.addAttempts(inputs);
}

async function counting(emulator, fn) {
  emulator.requests.length = 0;
  const result = await fn();
  const events = emulator.requests.filter((request) => request.path.endsWith("/events")).length;
  return { ...result, requests: emulator.requests.length, eventRequests: events };
}

function render([first, second]) {
  const rows = [["run", "wall ms", "server CPU ms", "requests (of them events)", "result", "how the store was used"]];
  for (const run of [first, second]) {
    const diagnosis = run.structured?.webhooks?.[0];
    const memoryLine = run.text.split("\n").find((line) => /^(Read \d|Full scan|History is not kept)/.test(line)) ?? "";
    rows.push([
      run.label,
      thousands(run.wallMs),
      Number.isFinite(run.cpuMs) ? thousands(run.cpuMs) : "n/a",
      `${thousands(run.requests)} (${thousands(run.eventRequests)})`,
      diagnosis ? `${diagnosis.verdict}, ${thousands(diagnosis.attemptsScanned)} scanned` : "no diagnosis",
      memoryLine,
    ]);
  }
  const requestShare = second.requests / first.requests;
  const wallShare = second.wallMs / first.wallMs;
  const targets = [
    ["target", "measured", ""],
    [
      `requests ≤ ${TARGETS.requestShare * 100}% of the first scan`,
      `${fixed(requestShare * 100, 1)}%`,
      verdict(requestShare <= TARGETS.requestShare),
    ],
    [
      `wall time ≤ ${TARGETS.wallShare * 100}% of the first scan`,
      `${fixed(wallShare * 100, 1)}%`,
      verdict(wallShare <= TARGETS.wallShare),
    ],
  ];
  return [
    `## Incremental diagnosis (issue 22): ${thousands(ATTEMPTS)} attempts, then ${thousands(NEW_ATTEMPTS)} new, ${LATENCY_MS} ms latency, SQLite store`,
    "",
    markdownTable(rows),
    "",
    markdownTable(targets),
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const started = performance.now();
  const log = (message) =>
    process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
  const result = await benchIncremental(await loadEmulatorModule(), log);
  process.stdout.write(`${result.markdown}\n`);
}
