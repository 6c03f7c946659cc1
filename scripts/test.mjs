// `npm test`: build, then the whole suite on a Node that has node:sqlite, with a real PostgreSQL.
// - On a Node older than 22.13 (a fresh machine's Node 20), it brings Node 24 from the npm registry
//   (scripts/node-binary.mjs, cached) and runs the build and vitest under it.
// - Without EXA_WEBHOOKS_TEST_POSTGRES it starts the throwaway cluster of scripts/postgres.sh for the run and
//   stops it after; where no PostgreSQL is installed the store's Postgres tests fail saying so (never skipped).
// Arguments go to vitest: npm test -- test/store
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeBinary, SUITE_NODE_VERSION } from "./node-binary.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const [major, minor] = process.versions.node.split(".").map(Number);
const hasSqlite = major > 22 || (major === 22 && minor >= 13);
const node = hasSqlite ? process.execPath : nodeBinary(SUITE_NODE_VERSION);
if (!hasSqlite)
  process.stderr.write(`npm test: Node ${process.version} has no node:sqlite; running on Node ${SUITE_NODE_VERSION}\n`);

const env = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH ?? ""}` };
const postgresScript = join(root, "scripts", "postgres.sh");
// Its own cluster in its own folder, so a cluster a developer started by hand, or another checkout's `npm test`
// running at the same time, is never shared or stopped by this run. postgres.sh moves it past a port that is taken.
const FIRST_PORT = 25431;
const clusterHome = mkdtempSync(join(tmpdir(), "exa-webhooks-npm-test-"));
chmodSync(clusterHome, 0o755); // postgres.sh runs the server as the `postgres` user when we are root
const postgres = (action, port) =>
  execFileSync(postgresScript, [action, String(port)], {
    encoding: "utf8",
    env: { ...process.env, TMPDIR: clusterHome },
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
let clusterPort;
if (!env.EXA_WEBHOOKS_TEST_POSTGRES) {
  try {
    env.EXA_WEBHOOKS_TEST_POSTGRES = postgres("start", FIRST_PORT);
    clusterPort = new URL(env.EXA_WEBHOOKS_TEST_POSTGRES).port;
  } catch (error) {
    process.stderr.write(
      `npm test: no PostgreSQL started (${error.stderr?.trim() || error}); its store tests will fail.\n`,
    );
  }
}

const run = (args) => spawnSync(node, args, { cwd: root, env, stdio: "inherit" }).status ?? 1;
let status = run([join(root, "scripts", "build.mjs")]);
if (status === 0) status = run([join(root, "node_modules", "vitest", "vitest.mjs"), "run", ...process.argv.slice(2)]);
if (clusterPort !== undefined) postgres("stop", clusterPort);
rmSync(clusterHome, { recursive: true, force: true });
process.exitCode = status;
