// Issue 6's bench: what installing and starting this server costs, side by side with Exa's own
// exa-mcp-server. Ours is packed and installed from this checkout; theirs from the npm registry (cached).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { nodeBinary } from "../scripts/node-binary.mjs";
import { coldStart, nodeStart } from "./lib/cold-start.mjs";
import { prepareFloors } from "./lib/floors.mjs";
import { measureNodeModules, npmInstallFresh, npmPack } from "./lib/npm.mjs";
import { benchDir, ROOT } from "./lib/paths.mjs";
import { median } from "./lib/proc.mjs";
import { fixed, markdownTable, thousands, verdict } from "./lib/table.mjs";

const THEIRS = { name: "exa-mcp-server", version: "3.4.1" };
const COLD_START_RUNS = 15;
/** The cold start is compared on the machine's Node (no compile cache before 22.1) and on this newer one. */
const NEWER_NODE = "24.22.3";
/** The bars: ours at most this share of theirs, on the same Node, in the same interleaved run. */
const COLD_START_BAR = { machine: 0.75, newer: 0.6 };

export async function benchDistribution({ listing, log }) {
  log("distribution: npm pack + npm install of this package");
  const ours = await prepareOurs();
  log(`distribution: ${THEIRS.name}@${THEIRS.version} (cached in .bench-tmp after the first run)`);
  const theirs = await prepareTheirs().catch((error) => ({ error: firstLine(error) }));
  log("distribution: the floors (node -e 0, a constants server, the MCP SDK v2 floor server)");
  const floors = await prepareFloors();

  const newer = nodeBinary(NEWER_NODE);
  const targets = [
    { key: "ours", bin: ours.bin },
    { key: "oursNewer", bin: ours.bin, node: newer },
    { key: "oursSandbox", bin: ours.bin, args: ["--sandbox"] },
  ];
  // exa-mcp-server reads its key at start; a dummy one is enough to list tools.
  if (theirs.bin) {
    const env = { EXA_API_KEY: "bench-dummy-key" };
    targets.push({ key: "theirs", bin: theirs.bin, env }, { key: "theirsNewer", bin: theirs.bin, env, node: newer });
  }
  targets.push(
    { key: "nodeOnly", nodeOnly: true },
    { key: "nodeOnlyNewer", nodeOnly: true, node: newer },
    { key: "constants", bin: floors.constants },
    { key: "constantsNewer", bin: floors.constants, node: newer },
    { key: "sdkFloor", bin: floors.sdk },
    { key: "sdkFloorNewer", bin: floors.sdk, node: newer },
  );
  log(`distribution: cold starts, ${COLD_START_RUNS} interleaved rounds`);
  const starts = await measureColdStarts(targets);
  if (starts.theirs?.error) theirs.error ??= starts.theirs.error;

  return {
    ours,
    theirs,
    starts,
    markdown: [render(ours, theirs, starts, listing), renderFloors(starts)].join("\n\n"),
  };
}

async function prepareOurs() {
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  // The bench has just built dist/; skipping `prepare` avoids a second build.
  const pack = await npmPack(".", benchDir("pack"), { cwd: ROOT, ignoreScripts: true });
  const dir = benchDir("install-ours");
  await npmInstallFresh(pack.tarball, dir, { offline: true });
  return {
    version,
    tarballBytes: pack.bytes,
    ...measureNodeModules(join(dir, "node_modules")),
    bin: join(dir, "node_modules/exa-webhooks-mcp/dist/index.js"),
  };
}

export async function prepareTheirs() {
  const dir = benchDir(`${THEIRS.name}-${THEIRS.version}`);
  const installed = join(dir, "install/node_modules", THEIRS.name);
  const packInfo = join(dir, "pack.json");
  const ready =
    existsSync(packInfo) &&
    existsSync(join(installed, "package.json")) &&
    JSON.parse(readFileSync(join(installed, "package.json"), "utf8")).version === THEIRS.version;
  if (!ready) {
    const spec = `${THEIRS.name}@${THEIRS.version}`;
    await npmInstallFresh(spec, join(dir, "install"));
    const pack = await npmPack(spec, dir);
    writeFileSync(packInfo, JSON.stringify(pack));
  }
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  const binPath = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.[THEIRS.name];
  return {
    version: manifest.version,
    tarballBytes: JSON.parse(readFileSync(packInfo, "utf8")).bytes,
    ...measureNodeModules(join(dir, "install/node_modules")),
    bin: join(installed, binPath),
  };
}

/** Rounds of ours, ours --sandbox, theirs, … so drift in machine load hits every server alike. */
async function measureColdStarts(targets) {
  const results = Object.fromEntries(targets.map((target) => [target.key, { times: [] }]));
  const loadBefore = loadavg()[0];
  for (let round = 0; round < COLD_START_RUNS; round++) {
    for (const target of targets) {
      const result = results[target.key];
      if (result.error) continue;
      try {
        const start = target.nodeOnly ? await nodeStart(target) : await coldStart(target);
        result.times.push(start.ms);
        Object.assign(result, { toolCount: start.toolCount, toolsListBytes: start.toolsListBytes });
        result.peakRssMb = Math.max(result.peakRssMb ?? 0, start.peakRssMb ?? 0) || undefined;
      } catch (error) {
        result.error = firstLine(error);
      }
    }
  }
  for (const result of Object.values(results)) if (result.times.length) result.medianMs = median(result.times);
  // The machine's 1-minute load average before and after the rounds: the ratios hold under load, the ms do not.
  Object.defineProperty(results, "load", { value: [loadBefore, loadavg()[0]], enumerable: false });
  return results;
}

function render(ours, theirs, starts, listing) {
  const na = (reason) => `n/a (${reason})`;
  const theirsCell = (format) => (theirs.error ? na(theirs.error) : format(theirs));
  const startCell = (start, format) => (!start ? "n/a" : start.error ? na(start.error) : format(start));
  const coldCell = (start) =>
    startCell(start, (s) => `${fixed(s.medianMs)} (min ${fixed(Math.min(...s.times))}, n=${s.times.length})`);
  const ratioCell = (mine, other, bar) =>
    mine?.medianMs && other?.medianMs
      ? `${fixed(mine.medianMs / other.medianMs, 2)}× theirs (bar ≤ ${bar}×: ${verdict(mine.medianMs / other.medianMs <= bar)})`
      : "n/a";
  const rows = [
    ["", `exa-webhooks-mcp ${ours.version}`, `${THEIRS.name} ${theirs.version ?? THEIRS.version}`],
    [
      "packages installed (node_modules, nested included)",
      thousands(ours.packages),
      theirsCell((t) => thousands(t.packages)),
    ],
    ["install size MB", fixed(ours.bytes / 1e6, 2), theirsCell((t) => fixed(t.bytes / 1e6, 1))],
    ["tarball KB", fixed(ours.tarballBytes / 1e3, 0), theirsCell((t) => fixed(t.tarballBytes / 1e3, 0))],
    [
      `cold start ms on node ${process.versions.node}, spawn → tools/list answered (median)`,
      coldCell(starts.ours),
      coldCell(starts.theirs),
    ],
    [
      `cold start on node ${process.versions.node}, ours / theirs`,
      ratioCell(starts.ours, starts.theirs, COLD_START_BAR.machine),
      "",
    ],
    [
      `cold start ms on node ${NEWER_NODE} (compile cache), median`,
      coldCell(starts.oursNewer),
      coldCell(starts.theirsNewer),
    ],
    [
      `cold start on node ${NEWER_NODE}, ours / theirs`,
      ratioCell(starts.oursNewer, starts.theirsNewer, COLD_START_BAR.newer),
      "",
    ],
    ["cold start ms with --sandbox (emulator + demo data)", coldCell(starts.oursSandbox), "n/a (no sandbox)"],
    [
      "peak RSS MB at tools/list",
      startCell(starts.ours, (s) => fixed(s.peakRssMb)),
      startCell(starts.theirs, (s) => fixed(s.peakRssMb)),
    ],
    [
      "tools / tools/list bytes",
      startCell(starts.ours, (s) => `${s.toolCount} / ${thousands(s.toolsListBytes)}`),
      startCell(starts.theirs, (s) => `${s.toolCount} / ${thousands(s.toolsListBytes)}`),
    ],
    [
      "list_webhook_attempts, 200 attempts: text bytes vs Exa's raw JSON page",
      `${thousands(listing.textBytes)} vs ${thousands(listing.rawBytes)} = ${fixed(100 * listing.share)}% (target < 30%: ${verdict(listing.share < 0.3)})`,
      "n/a (no webhook tools)",
    ],
  ];
  return [
    "### Distribution and speed (issue 6)",
    "",
    `Ours: \`npm pack\` of this checkout, \`npm install <tarball>\` in an empty folder. Theirs: \`npm install ${THEIRS.name}@${THEIRS.version}\`. ` +
      `Cold start: median of ${COLD_START_RUNS} rounds in one run, every server and Node interleaved in each round, raw JSON-RPC over stdio, no API key for ours (it starts and explains), a dummy key for theirs; on Node ${NEWER_NODE} ours uses Node's compile cache (module.enableCompileCache), written by the first start. ` +
      "The whole list_webhook_attempts result (text + structuredContent) is " +
      `${thousands(listing.resultBytes)} bytes; a model reading only the text gets the share above. MB and KB are decimal.`,
    "",
    markdownTable(rows),
  ].join("\n");
}

/** Where ours stands between Node starting and theirs, per Node: each floor measured in the same rounds. */
function renderFloors(starts) {
  const cell = (start, other) =>
    !start?.medianMs
      ? `n/a${start?.error ? ` (${start.error})` : ""}`
      : `${fixed(start.medianMs)}${other?.medianMs ? ` = ${fixed(start.medianMs / other.medianMs, 2)}×` : ""}`;
  const rows = [
    ["median ms, and ÷ theirs on the same Node", `node ${process.versions.node}`, `node ${NEWER_NODE} (compile cache)`],
    [
      "`node -e 0`: Node starting and exiting",
      cell(starts.nodeOnly, starts.theirs),
      cell(starts.nodeOnlyNewer, starts.theirsNewer),
    ],
    [
      "a process answering initialize and tools/list from constants",
      cell(starts.constants, starts.theirs),
      cell(starts.constantsNewer, starts.theirsNewer),
    ],
    [
      "MCP SDK v2 floor: one tool, bundled and started like ours (bench/fixtures/sdk-floor.ts)",
      cell(starts.sdkFloor, starts.theirs),
      cell(starts.sdkFloorNewer, starts.theirsNewer),
    ],
    ["exa-webhooks-mcp", cell(starts.ours, starts.theirs), cell(starts.oursNewer, starts.theirsNewer)],
    [`${THEIRS.name} ${THEIRS.version}`, cell(starts.theirs), cell(starts.theirsNewer)],
  ];
  return [
    "### Cold start floors (issue 10)",
    "",
    `Same rounds as above (load average ${starts.load.map((value) => fixed(value, 1)).join(" → ")} on ${cpus().length} cores), spawn → tools/list answered (\`node -e 0\`: spawn → exit). ` +
      "Ours minus the SDK floor is what our own code costs at start (13 tools' zod schemas, their JSON Schema for tools/list, resources and prompts).",
    "",
    markdownTable(rows),
  ].join("\n");
}

function firstLine(error) {
  return String(error?.message ?? error)
    .split("\n")[0]
    .slice(0, 160);
}
