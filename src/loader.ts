#!/usr/bin/env node
// The published bin. Runs the bundled server (server.cjs, every dependency inlined) through a V8 code cache
// kept in the user's cache folder, so starts after the first skip compiling ~0.7 MB of JavaScript (Node 22
// has module.enableCompileCache for this; Node 20 does not). Any cache problem falls back to a plain compile.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

declare const __PACKAGE_VERSION__: string;

const bundlePath = fileURLToPath(new URL("./server.cjs", import.meta.url));
const source = readFileSync(bundlePath, "utf8");
const cacheFile = codeCachePath();
const cachedData = readCache(cacheFile);
const script = new Script(Module.wrap(source), { filename: bundlePath, ...(cachedData ? { cachedData } : {}) });

if (cacheFile && (!cachedData || script.cachedDataRejected)) {
  // Written at exit, when the functions used at start-up have been compiled too (a fuller cache).
  process.once("exit", () => writeCache(cacheFile, script));
}

const module = { exports: {} };
const run = script.runInThisContext() as (...args: unknown[]) => void;
run.call(module.exports, module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));

/**
 * ~/.cache/exa-webhooks-mcp/<version>-<node>-<arch>-<bundle size>-<bundle mtime>.v8; undefined when caching is
 * off. V8 checks only the source length, so a rebuild of the same size must change the key: the mtime does.
 */
function codeCachePath(): string | undefined {
  if (process.env.EXA_WEBHOOKS_MCP_NO_CACHE) return undefined;
  try {
    const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
    const bundle = statSync(bundlePath);
    const key = `${__PACKAGE_VERSION__}-${process.version}-${process.arch}-${bundle.size}-${Math.trunc(bundle.mtimeMs)}`;
    return join(base, "exa-webhooks-mcp", `${key}.v8`);
  } catch {
    return undefined;
  }
}

function readCache(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCache(file: string, compiled: Script): void {
  try {
    // Private to the user: a code cache is executable code.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, compiled.createCachedData(), { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    // A read-only home or a full disk only costs the next start its cache.
  }
}
