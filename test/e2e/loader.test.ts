// The published bin's loader: it keeps a private V8 code cache and never lets a bad cache stop the server.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN_PATH } from "../helpers/harness.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function runVersion(cacheHome: string, extraEnv: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN_PATH, "--version"], {
    env: { PATH: process.env.PATH ?? "", XDG_CACHE_HOME: cacheHome, ...extraEnv },
    encoding: "utf8",
    timeout: 20_000,
  });
}

describe("code cache", () => {
  it("writes a private cache on the first start and starts from it later", () => {
    const home = mkdtempSync(join(tmpdir(), "exa-cache-"));
    folders.push(home);
    expect(runVersion(home).status).toBe(0);
    const folder = join(home, "exa-webhooks-mcp");
    const [file] = readdirSync(folder);
    expect(file).toMatch(/\.v8$/);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(join(folder, String(file))).mode & 0o777).toBe(0o600);
    const second = runVersion(home);
    expect(second.status).toBe(0);
    expect(second.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("a rebuilt bundle of the same size never runs the old cached code", () => {
    const home = mkdtempSync(join(tmpdir(), "exa-cache-"));
    const copy = mkdtempSync(join(tmpdir(), "exa-dist-"));
    folders.push(home, copy);
    cpSync(dirname(BIN_PATH), copy, { recursive: true });
    const bin = join(copy, "index.js");
    const run = () =>
      spawnSync(process.execPath, [bin, "--help"], {
        env: { PATH: process.env.PATH ?? "", XDG_CACHE_HOME: home },
        encoding: "utf8",
        timeout: 20_000,
      });
    expect(run().stdout).toContain("Usage:");
    const bundle = join(copy, "server.cjs");
    // Same byte count, different code: V8's own check (source length) cannot tell them apart.
    writeFileSync(bundle, readFileSync(bundle, "utf8").replace("Usage:", "USAGE!"));
    utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
    expect(run().stdout).toContain("USAGE!");
  });

  it("a corrupt cache is ignored and replaced; EXA_WEBHOOKS_MCP_NO_CACHE turns caching off", () => {
    const home = mkdtempSync(join(tmpdir(), "exa-cache-"));
    folders.push(home);
    runVersion(home);
    const folder = join(home, "exa-webhooks-mcp");
    const file = join(folder, String(readdirSync(folder)[0]));
    writeFileSync(file, "not a v8 cache");
    const result = runVersion(home);
    expect(result.status).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(1000);

    const off = mkdtempSync(join(tmpdir(), "exa-cache-"));
    folders.push(off);
    expect(runVersion(off, { EXA_WEBHOOKS_MCP_NO_CACHE: "1" }).status).toBe(0);
    expect(readdirSync(off)).toEqual([]);
  });
});
