// The bin leaves start-up caching to Node: module.enableCompileCache() where it exists (22.1+), a plain load on
// Node 20. Node keys its cache by content, so a rebuilt program never runs stale code. CI runs this file under
// Node 20, 24 and 26.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import module from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN_PATH } from "../helpers/harness.js";

const hasCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === "function";
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** Runs the bin with its temp folder (where Node keeps the compile cache by default) set to `temp`. */
function run(bin: string, temp: string, args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? "", XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "", TMPDIR: temp },
    encoding: "utf8",
    timeout: 20_000,
  });
}

describe("start-up", () => {
  it.runIf(hasCompileCache)("uses Node's compile cache, and a changed program runs its new code", () => {
    const cache = tempFolder("exa-compile-cache-");
    const copy = tempFolder("exa-dist-");
    cpSync(dirname(BIN_PATH), copy, { recursive: true });
    const bin = join(copy, "index.js");
    expect(run(bin, cache, ["--help"]).stdout).toContain("Usage:");
    expect(readdirSync(join(cache, "node-compile-cache")).length).toBeGreaterThan(0);
    // Same length, different code: the cache must not serve the old one.
    const chunk = readdirSync(join(copy, "chunks"))
      .map((name) => join(copy, "chunks", name))
      .find((file) => readFileSync(file, "utf8").includes("Usage:"));
    expect(chunk).toBeDefined();
    writeFileSync(String(chunk), readFileSync(String(chunk), "utf8").replace("Usage:", "USAGE!"));
    expect(run(bin, cache, ["--help"]).stdout).toContain("USAGE!");
  });

  it.skipIf(hasCompileCache)("loads plainly on a Node without a compile cache and writes no cache", () => {
    const cache = tempFolder("exa-compile-cache-");
    const result = run(BIN_PATH, cache, ["--version"]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(readdirSync(cache)).toEqual([]);
  });
});
