// What `npx exa-webhooks-mcp` gets: the packed tarball installed into an empty project. One package, no
// dependencies, a small footprint, and a bin that starts and speaks MCP without an API key.
import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectClient } from "../helpers/harness.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const NPM_TIMEOUT_MS = 45_000;
// `env node` in the bin's shebang must find the node running these tests.
const PATH = [dirname(process.execPath), process.env.PATH ?? ""].join(process.platform === "win32" ? ";" : ":");

// The one pin of the tool list (test/server/manifest.test.ts holds it to the built server).
const MANIFEST_TOOLS = (
  JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8")) as { tools: { name: string }[] }
).tools.map((tool) => tool.name);

let scratch: string;
let project: string;
let installedBin: string;

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--no-update-notifier"], {
    cwd,
    encoding: "utf8",
    timeout: NPM_TIMEOUT_MS,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : lstatSync(path).size;
  }
  return total;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "exa-webhooks-mcp-pack-"));
  project = join(scratch, "project");
  // dist/ is already built (`npm test` builds first); skip `prepare` so packing does not rebuild it.
  const packed = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], ROOT)) as {
    filename: string;
  }[];
  const tarball = join(scratch, packed[0]?.filename ?? "");
  mkdirSync(project);
  // Its own package.json, or npm would climb to the repo and install there.
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "packed-install-check", private: true }));
  npm(["install", tarball, "--prefer-offline"], project);
  installedBin = join(project, "node_modules/.bin/exa-webhooks-mcp");
}, 2 * NPM_TIMEOUT_MS);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("npm install of the packed tarball", () => {
  it("installs one small package and nothing else", () => {
    const listed = npm(["ls", "--all", "--parseable"], project).trim().split("\n");
    const packages = listed.slice(1); // the first line is the project itself
    expect(packages.length, packages.join("\n")).toBeLessThanOrEqual(3);
    expect(packages.some((path) => path.endsWith(join("node_modules", "exa-webhooks-mcp")))).toBe(true);
    expect(folderBytes(join(project, "node_modules"))).toBeLessThan(5_000_000);
  });

  it("the bin starts without a key, lists the tools, and each Exa tool explains how to set the key", async () => {
    const installed = await connectClient({
      transport: { kind: "stdio", command: installedBin, args: [], env: { PATH } },
    });
    try {
      const { tools } = await installed.client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(MANIFEST_TOOLS);
      const answer = await installed.call("list_webhooks");
      expect(answer.isError).toBe(true);
      expect(JSON.stringify(answer.raw.content)).toContain("EXA_API_KEY is not set");
      expect(installed.stderr()).toContain("EXA_API_KEY is not set");
    } finally {
      await installed.close();
    }
  });
});
