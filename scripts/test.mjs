// `npm test`: build, then the whole suite on a Node that has node:sqlite, with a real PostgreSQL.
// - On a Node older than 22.13 (a fresh machine's Node 20), it brings Node 24 from the npm registry
//   (scripts/node-binary.mjs, cached) and runs the build and vitest under it.
// - Without EXA_WEBHOOKS_TEST_POSTGRES it starts the throwaway cluster of scripts/postgres.sh for the run and
//   stops it after; where no PostgreSQL is installed the store's Postgres tests fail saying so (never skipped).
// Arguments go to vitest: npm test -- test/store
import { execFileSync, spawnSync } from "node:child_process";
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
// Its own port, so a cluster a developer started by hand (the default port) is never stopped by this run; below
// Linux's ephemeral range (32768-60999), where an outgoing connection may hold a port.
const port = "25431";
let startedPostgres = false;
if (!env.EXA_WEBHOOKS_TEST_POSTGRES) {
  try {
    env.EXA_WEBHOOKS_TEST_POSTGRES = execFileSync(postgresScript, ["start", port], { encoding: "utf8" }).trim();
    startedPostgres = true;
  } catch {
    process.stderr.write("npm test: no PostgreSQL to start (apt-get install postgresql); its store tests will fail.\n");
  }
}

const run = (args) => spawnSync(node, args, { cwd: root, env, stdio: "inherit" }).status ?? 1;
let status = run([join(root, "scripts", "build.mjs")]);
if (status === 0) status = run([join(root, "node_modules", "vitest", "vitest.mjs"), "run", ...process.argv.slice(2)]);
if (startedPostgres) execFileSync(postgresScript, ["stop", port], { stdio: "inherit" });
process.exitCode = status;
