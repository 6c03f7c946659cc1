// The store through the built bin: the `store` command (JSON lines off a TTY, lines for a person on one), where
// the default file lives, a read-only disk, and Node 20 (no node:sqlite): the bin says so and every tool works.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN_PATH, runBin } from "../helpers/harness.js";
import { cleanupEngines, tempDir } from "./engines.js";

afterAll(cleanupEngines);

const json = (stdout: string) => JSON.parse(stdout.trim()) as Record<string, unknown>;

/** A Node 20 binary: EXA_WEBHOOKS_TEST_NODE20, the machine's own node when it is 20, else the npm registry's. */
function node20(): string {
  const candidates = [process.env.EXA_WEBHOOKS_TEST_NODE20, "/usr/bin/node", "/usr/local/bin/node"];
  for (const candidate of candidates) {
    if (!candidate || !existsSync(candidate)) continue;
    const version = spawnSync(candidate, ["--version"], { encoding: "utf8" }).stdout.trim();
    if (version.startsWith("v20.")) return candidate;
  }
  return nodeBinary("20.20.2");
}

/** scripts/node-binary.mjs: the npm registry's Node of that version, cached (CI fills the cache). */
function nodeBinary(version: string): string {
  const script = new URL("../../scripts/node-binary.mjs", import.meta.url).pathname;
  return spawnSync(process.execPath, [script, version], { encoding: "utf8" }).stdout.trim();
}

describe("exa-webhooks-mcp store", () => {
  it("prints one JSON line off a TTY: engine, location, schema version and row counts; --store wins over the env", () => {
    const dir = tempDir();
    const result = runBin(["store", "--store", join(dir, "flag.db")], { EXA_WEBHOOKS_STORE: join(dir, "env.db") });
    expect(result.status).toBe(0);
    expect(json(result.stdout)).toEqual({
      ok: true,
      engine: "sqlite",
      location: join(dir, "flag.db"),
      schemaVersion: 1,
      rows: {
        deliveries: 0,
        leases: 0,
        listen_cursors: 0,
        health_buckets: 0,
        verdict_transitions: 0,
        scan_checkpoints: 0,
      },
    });
    expect(existsSync(join(dir, "env.db"))).toBe(false);
    const fromEnv = runBin(["store"], { EXA_WEBHOOKS_STORE: "memory" });
    expect(json(fromEnv.stdout)).toMatchObject({ ok: true, engine: "memory", location: "memory" });
  });

  it("defaults to $XDG_STATE_HOME/exa-webhooks-mcp/state.db, else ~/.local/state/…", () => {
    const dir = tempDir();
    expect(json(runBin(["store"], { XDG_STATE_HOME: dir }).stdout).location).toBe(
      join(dir, "exa-webhooks-mcp", "state.db"),
    );
    expect(json(runBin(["store"], { HOME: dir, XDG_STATE_HOME: "" }).stdout).location).toBe(
      join(dir, ".local", "state", "exa-webhooks-mcp", "state.db"),
    );
  });

  it("reads as lines for a person on a TTY, with what --prune-days deleted", () => {
    const dir = tempDir();
    const command = `${process.execPath} ${BIN_PATH} store --store ${join(dir, "state.db")} --prune-days 30`;
    // util-linux `script` gives the bin a pseudo-terminal as stdout.
    const result = spawnSync("script", ["-qec", command, "/dev/null"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "" },
    });
    expect(result.status).toBe(0);
    const text = result.stdout.replace(/\r/g, "");
    expect(text).toContain(`location  ${join(dir, "state.db")}`);
    expect(text).toMatch(/^engine {4}sqlite$/m);
    expect(text).toMatch(/^schema {4}version 1$/m);
    expect(text).toMatch(/^rows {6}deliveries 0, leases 0, listen_cursors 0,/m);
    expect(text).toMatch(/^pruned {4}0 rows older than 30 days/m);
  });

  it("refuses a bad --prune-days, and --prune-days outside the store command, as usage errors", () => {
    const bad = runBin(["store", "--prune-days", "soon"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--prune-days must be a whole number of days (1 or more), got "soon".');
    expect(runBin(["--prune-days", "3"]).stderr).toContain("--prune-days only applies to the store command.");
  });

  it("on a read-only disk says the file cannot be written and what to do, exit 1", () => {
    if (process.getuid?.() !== 0) throw new Error("this test mounts a read-only tmpfs: run it as root (CI does)");
    const dir = tempDir();
    mkdirSync(join(dir, "ro"));
    // A private mount namespace: the read-only tmpfs exists for this one command only.
    const command = `mount -t tmpfs -o ro tmpfs ${dir}/ro && exec ${process.execPath} ${BIN_PATH} store --store ${dir}/ro/state/state.db`;
    const result = spawnSync("unshare", ["-m", "sh", "-c", command], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(json(result.stdout)).toMatchObject({
      ok: false,
      reason: "unwritable",
      location: `${dir}/ro/state/state.db`,
      remedy: "Make the directory writable, or set --store / EXA_WEBHOOKS_STORE to a writable path.",
    });
  });

  it("under a folder that exists but takes no children (/proc) says so at once, exit 1", () => {
    // Node 22 and 24's recursive mkdir spins forever here (ENOENT, then EEXIST for the parent, again and again).
    const result = runBin(["store", "--store", "/proc/exa-webhooks-mcp/state/state.db"]);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(1);
    expect(json(result.stdout)).toMatchObject({
      ok: false,
      reason: "unwritable",
      location: "/proc/exa-webhooks-mcp/state/state.db",
      detail: "ENOENT: no such file or directory, mkdir '/proc/exa-webhooks-mcp'",
      remedy: "Make the directory writable, or set --store / EXA_WEBHOOKS_STORE to a writable path.",
    });
  });
});

describe("Node 20 (no node:sqlite)", () => {
  it("the store command says why there is no memory and how to get it", () => {
    const node = node20();
    const result = spawnSync(node, [BIN_PATH, "store", "--store", join(tempDir(), "state.db")], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(json(result.stdout)).toMatchObject({
      ok: false,
      reason: "no-sqlite",
      remedy: "Run on Node 22.13 or newer (Node 24 recommended), or pass --store postgres://…",
    });
  });

  it("the README's first command still diagnoses the sandbox", () => {
    const node = node20();
    const result = spawnSync(node, [BIN_PATH, "call", "diagnose_failures", "--sandbox"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "", HOME: tempDir() },
      timeout: 60_000,
    });
    // stderr holds only the note that the call's sandbox is gone: no warning (a listener leak once warned here).
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/this sandbox and its receivers stopped/)]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/crm-sync/);
  });
});

describe("Node 22 (node:sqlite is experimental there)", () => {
  it("opening a store prints no ExperimentalWarning", () => {
    const node = nodeBinary("22.23.5");
    const dir = tempDir();
    const result = spawnSync(node, [BIN_PATH, "store", "--store", join(dir, "state.db")], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(readFileSync(join(dir, "state.db")).subarray(0, 15).toString()).toBe("SQLite format 3");
    // The filter is ours, not Node's silence: the same Node warns on a bare import.
    const bare = spawnSync(node, ["-e", "require('node:sqlite')"], { encoding: "utf8" });
    expect(bare.stderr).toContain("ExperimentalWarning: SQLite is an experimental feature");
  });
});
