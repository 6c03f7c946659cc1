// The ledger's cost (issue 20): 1,000 redeliveries through the built server over stdio, each POST claimed before
// and recorded after, on a SQLite file and on PostgreSQL, against the same run with no ledger (a store that
// cannot open: nothing is claimed or recorded). Target: at most 10% more time. Rounds interleave the engines so
// load drift hits all alike; the median of each is shown. Prints a markdown table.
//   node bench/ledger.mjs [rounds] [receiver ms]   (after npm run build; `npm run bench` includes it with 3
//   rounds and a receiver that answers at once; `3 20` gives it a receiver that takes 20 ms, as real ones take time)
// PostgreSQL: EXA_WEBHOOKS_TEST_POSTGRES, else a throwaway cluster from scripts/postgres.sh for the run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeBinary, SUITE_NODE_VERSION } from "../scripts/node-binary.mjs";
import { loadEmulatorModule } from "./lib/emulator.mjs";
import { callForBench, withBuiltServer } from "./lib/mcp.mjs";
import { DIST_BIN } from "./lib/paths.mjs";
import { benchPostgres } from "./lib/postgres.mjs";
import { median } from "./lib/proc.mjs";
import { fixed, markdownTable, verdict } from "./lib/table.mjs";

const EVENTS = 1000;
/** Its throwaway cluster's first port, apart from npm test's (25431) and CI's (25432). */
const PG_FIRST_PORT = 25440;
const TARGET_OVERHEAD = 0.1;

/** A receiver that reads each body and answers 200 after answerMs: at 0, as cheap as loopback makes a POST. */
async function startReceiver(answerMs) {
  let posts = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      posts++;
      const answer = () => {
        response.writeHead(200, { "content-type": "text/plain" });
        response.end("ok");
      };
      // setTimeout(…, 0) waits at least 1 ms: the default receiver answers in the same tick, as before.
      if (answerMs > 0) setTimeout(answer, answerMs);
      else answer();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/webhooks/exa`,
    posts: () => posts,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A webhook with EXA_EVENTS undelivered events, new per run so no ledger has seen them. */
function seedWebhook(emulator, url) {
  const webhook = emulator.store.createWebhook({ url, events: ["webset.item.created"] });
  const now = Date.now();
  const attempts = [];
  for (let i = 0; i < EVENTS; i++) {
    const event = emulator.store.addEvent({ type: "webset.item.created", createdAt: now - 3_600_000 + i });
    attempts.push({
      webhookId: webhook.id,
      eventId: event.id,
      responseStatusCode: 503,
      attemptedAt: now - 3_000_000 + i,
    });
  }
  emulator.store.addAttempts(attempts);
  return webhook;
}

/** One send of 1,000 events on this store; returns its milliseconds. */
async function sendOnce(emulator, receiver, store) {
  const webhook = seedWebhook(emulator, receiver.url);
  const before = receiver.posts();
  const env = {
    EXA_BASE_URL: emulator.baseUrl,
    EXA_API_KEY: "exa-bench-key",
    EXA_WEBHOOK_SECRETS: `${webhook.id}=${webhook.secret}`,
    EXA_DIAGNOSE_BUDGET_MS: "600000",
    EXA_WEBHOOKS_STORE: store,
  };
  const args = { webhookId: webhook.id, undelivered: true, maxEvents: EVENTS };
  return withBuiltServer(DIST_BIN, env, async ({ client }) => {
    // The plan first: the scan and the store's open are not what is measured.
    await callForBench(client, "redeliver_events", args);
    const started = performance.now();
    const sent = await callForBench(client, "redeliver_events", { ...args, dryRun: false });
    const ms = performance.now() - started;
    if (sent.structured.delivered !== EVENTS || receiver.posts() - before !== EVENTS)
      throw new Error(`ledger bench: expected ${EVENTS} delivered on ${store}, got ${sent.structured.delivered}`);
    const remembered = sent.structured.remembered;
    return { ms, remembered };
  });
}

async function measure(rounds, receiverMs, log) {
  const emulator = await (await loadEmulatorModule()).startEmulator();
  const receiver = await startReceiver(receiverMs);
  const scratch = mkdtempSync(join(tmpdir(), "exa-ledger-bench-"));
  // A file where the store's directory should be: the store cannot open, so nothing is claimed or recorded.
  writeFileSync(join(scratch, "not-a-dir"), "");
  const postgres = benchPostgres(PG_FIRST_PORT, log, "ledger bench");
  const pgUrl = postgres.url;
  const engines = [
    { name: "none (no store opens)", store: join(scratch, "not-a-dir", "state.db"), times: [], remembered: false },
    { name: "sqlite (file, WAL)", store: join(scratch, "state.db"), times: [], remembered: true },
    { name: "postgres (loopback, fsync off)", store: pgUrl, times: [], remembered: true },
  ];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const engine of engines) {
        if (!engine.store) continue;
        const { ms, remembered } = await sendOnce(emulator, receiver, engine.store);
        if (remembered !== engine.remembered) throw new Error(`ledger bench: ${engine.name} remembered=${remembered}`);
        engine.times.push(ms);
        log(`ledger bench: round ${round + 1}/${rounds}, ${engine.name}: ${fixed(ms)} ms`);
      }
    }
  } finally {
    postgres.stop();
    await receiver.close();
    await emulator.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  const none = median(engines[0].times);
  const rows = [
    ["ledger", "send 1,000 (ms, median)", "events/s", "overhead vs none", `target ≤ ${TARGET_OVERHEAD * 100}%`],
  ];
  for (const engine of engines) {
    if (!engine.times.length) {
      rows.push([engine.name, "n/a", "n/a", "n/a", "n/a"]);
      continue;
    }
    const ms = median(engine.times);
    const overhead = engine === engines[0] ? undefined : ms / none - 1;
    rows.push([
      engine.name,
      fixed(ms),
      fixed((EVENTS / ms) * 1000),
      overhead === undefined ? "–" : `${overhead >= 0 ? "+" : ""}${fixed(overhead * 100, 1)}%`,
      overhead === undefined ? "–" : verdict(overhead <= TARGET_OVERHEAD),
    ]);
  }
  return `### redeliver_events: 1,000 redeliveries with the ledger against none (node ${process.version}, ${rounds} rounds)\n\nEach run: a plan (not timed), then the send of 1,000 events to a receiver on 127.0.0.1 that answers 200 ${receiverMs ? `after ${receiverMs} ms` : "at once"}: per event one GET from the emulator, one claim, one signed POST, one record. "none": the store cannot open, so nothing is claimed or recorded.\n\n${markdownTable(rows)}`;
}

/** For bench/run.mjs: the table, measured under a Node that has node:sqlite. */
export async function benchLedger({ log, rounds = 3, receiverMs = 0 }) {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 13)) return { markdown: await measure(rounds, receiverMs, log) };
  const node = nodeBinary(SUITE_NODE_VERSION);
  log(`ledger bench: Node ${process.version} has no node:sqlite; measuring under Node ${SUITE_NODE_VERSION}`);
  const markdown = execFileSync(node, [fileURLToPath(import.meta.url), String(rounds), String(receiverMs)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return { markdown: markdown.trim() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rounds = Number(process.argv[2] ?? 3);
  const receiverMs = Number(process.argv[3] ?? 0);
  const log = (message) => process.stderr.write(`${message}\n`);
  const { markdown } = await benchLedger({ log, rounds, receiverMs });
  process.stdout.write(`${markdown}\n`);
}
