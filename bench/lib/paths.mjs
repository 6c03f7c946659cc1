// Where the bench reads and writes: the repo root, the built server, and the gitignored scratch folder.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DIST_BIN = fileURLToPath(new URL("../../dist/index.js", import.meta.url));
/** Scratch space: bundles, tarballs and installs. Gitignored; the exa-mcp-server install is reused across runs. */
export const BENCH_TMP = fileURLToPath(new URL("../../.bench-tmp/", import.meta.url));

export function benchDir(name) {
  const dir = `${BENCH_TMP}${name}`;
  mkdirSync(dir, { recursive: true });
  return dir;
}
