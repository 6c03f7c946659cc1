// The store bench (issue 20): ledger claim+record throughput on each engine — memory, a SQLite file (WAL) and
// a real PostgreSQL on loopback — one caller at a time and 8 callers at once. Prints a markdown table.
//   node bench/store.mjs            (standalone; `npm run bench` includes it)
// PostgreSQL: EXA_WEBHOOKS_TEST_POSTGRES, else a throwaway cluster from scripts/postgres.sh for the run.
// On a Node without node:sqlite the bench runs itself under the suite's Node (scripts/node-binary.mjs).
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { nodeBinary, SUITE_NODE_VERSION } from "../scripts/node-binary.mjs";
import { benchDir, ROOT } from "./lib/paths.mjs";
import { benchPostgres } from "./lib/postgres.mjs";
import { markdownTable, thousands } from "./lib/table.mjs";

const CLAIMS = 2_000;
const CONCURRENCY = 8;
/** Its throwaway cluster's first port, apart from npm test's (25431) and CI's (25432). */
const PG_FIRST_PORT = 25450;

async function loadStoreModule() {
  const outfile = `${benchDir("store")}/open.mjs`;
  await build({
    entryPoints: [`${ROOT}src/store/open.ts`],
    outfile,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "warning",
  });
  return import(pathToFileURL(outfile).href);
}

/** Claims and records `CLAIMS` distinct events with `lanes` callers at once; returns pairs per second. */
async function claimAndRecord(store, lanes) {
  // A new account per run: a database kept between runs (EXA_WEBHOOKS_TEST_POSTGRES) already holds the last ones.
  const account = store.accountId(`bench-key-${lanes}-${randomUUID()}`);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < CLAIMS) {
        const eventId = `event_${next++}`;
        const claim = await store.ledger.claim({
          account,
          webhookId: "webhook_bench",
          eventId,
          target: "http://127.0.0.1:9/hook",
        });
        if (claim.kind !== "claimed") throw new Error(`bench: ${eventId} was ${claim.kind}`);
        await store.ledger.record(claim.claimId, { status: 200, category: "delivered", latencyMs: 1, timedOut: false });
      }
    }),
  );
  return CLAIMS / ((performance.now() - started) / 1000);
}

async function measure(log) {
  const { openStore } = await loadStoreModule();
  const scratch = mkdtempSync(join(tmpdir(), "exa-store-bench-"));
  const postgres = benchPostgres(PG_FIRST_PORT, log, "store bench");
  const pgUrl = postgres.url;
  const engines = [
    ["memory", { engine: "memory" }],
    ["sqlite (file, WAL)", { engine: "sqlite", path: join(scratch, "state.db") }],
    // The throwaway cluster runs with fsync off (scripts/postgres.sh): a floor for the protocol round trips.
    ["postgres (loopback, fsync off)", pgUrl && { engine: "postgres", url: pgUrl }],
  ];
  const rows = [["engine", "claim+record / s, 1 caller", `claim+record / s, ${CONCURRENCY} callers`, "note"]];
  try {
    for (const [name, spec] of engines) {
      if (!spec) {
        rows.push([name, "n/a", "n/a", "no server"]);
        continue;
      }
      log(`store bench: ${name}`);
      const opened = await openStore(spec);
      if (!opened.ok) {
        rows.push([name, "n/a", "n/a", opened.unavailable.reason]);
        continue;
      }
      const one = await claimAndRecord(opened.store, 1);
      const many = await claimAndRecord(opened.store, CONCURRENCY);
      await opened.store.close();
      rows.push([name, thousands(one), thousands(many), `${thousands(CLAIMS)} distinct events each`]);
    }
  } finally {
    postgres.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  return `### Store: ledger claim+record throughput (node ${process.version})\n\n${markdownTable(rows)}`;
}

/** For bench/run.mjs: the table, measured under a Node that has node:sqlite. */
export async function benchStore({ log }) {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 13)) return { markdown: await measure(log) };
  const node = nodeBinary(SUITE_NODE_VERSION);
  log(`store bench: Node ${process.version} has no node:sqlite; measuring under Node ${SUITE_NODE_VERSION}`);
  const markdown = execFileSync(node, [fileURLToPath(import.meta.url)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return { markdown: markdown.trim() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { markdown } = await benchStore({ log: (message) => process.stderr.write(`${message}\n`) });
  process.stdout.write(`${markdown}\n`);
}
