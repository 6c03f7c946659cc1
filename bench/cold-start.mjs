// `node bench/cold-start.mjs [rounds]` (after `npm run build`): the cold start alone, spawn → tools/list
// answered, on every Node CI tests (22, 24, 26): ours, exa-mcp-server 3.4.1 and the one-tool MCP SDK v2 floor
// (bench/lib/floors.mjs), interleaved in each round so load drift hits all alike. `npm run bench` measures the
// same beside the slow diagnose benches; this is the quick look. Prints a markdown table and the load average.
// `--also NAME=PATH` (repeatable) measures another build of ours in the same rounds, e.g. the one before a change:
//   node bench/cold-start.mjs 11 --also before=/tmp/before/dist/index.js
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { nodeBinary, TESTED_NODE_VERSIONS } from "../scripts/node-binary.mjs";
import { prepareTheirs } from "./distribution.mjs";
import { coldStart } from "./lib/cold-start.mjs";
import { prepareFloors } from "./lib/floors.mjs";
import { DIST_BIN } from "./lib/paths.mjs";
import { median } from "./lib/proc.mjs";
import { fixed, markdownTable } from "./lib/table.mjs";

const args = process.argv.slice(2);
const rounds = Number(args.find((arg, i) => /^\d+$/.test(arg) && args[i - 1] !== "--also") ?? 11);
const others = args
  .flatMap((arg, i) => (args[i - 1] === "--also" ? [arg] : []))
  .map((spec) => ({ name: spec.slice(0, spec.indexOf("=")), bin: spec.slice(spec.indexOf("=") + 1) }));
if (!existsSync(DIST_BIN)) {
  process.stderr.write("bench: dist/index.js is missing; run `npm run build` first.\n");
  process.exit(1);
}
const theirs = await prepareTheirs();
const floors = await prepareFloors();
const servers = [
  { name: "ours", bin: DIST_BIN },
  { name: "theirs", bin: theirs.bin, env: { EXA_API_KEY: "bench-dummy-key" } },
  { name: "sdkFloor", bin: floors.sdk },
  ...others,
];
const targets = TESTED_NODE_VERSIONS.flatMap((version) =>
  servers.map((server) => ({ ...server, version, node: nodeBinary(version), ms: [], cpuMs: [] })),
);
// One unmeasured start each: the compile cache is written by a first start, as after `npx` installs.
for (const target of targets) await coldStart(target);
const load = [loadavg()[0]];
for (let round = 0; round < rounds; round++) {
  for (const target of targets) {
    const start = await coldStart(target);
    target.ms.push(start.ms);
    target.cpuMs.push(start.cpuMs);
  }
}
load.push(loadavg()[0]);

/** One table of medians: wall time (what a client waits) or the server's CPU time (steadier on a busy machine). */
function table(metric, title) {
  const medianOf = (version, name) => median(targets.find((t) => t.version === version && t.name === name)[metric]);
  const rows = TESTED_NODE_VERSIONS.map((version) => {
    const [ours, their, floor] = ["ours", "theirs", "sdkFloor"].map((name) => medianOf(version, name));
    return [
      `node ${version}`,
      `${fixed(ours, 0)} ms`,
      `${fixed(their, 0)} ms`,
      `${fixed(floor, 0)} ms`,
      `${fixed(ours / their, 2)}×`,
      `${fixed(floor / their, 2)}×`,
      `${fixed(ours / floor, 2)}`,
      ...others.flatMap(({ name }) => {
        const other = medianOf(version, name);
        return [`${fixed(other, 0)} ms`, `${fixed(other / floor, 2)}`];
      }),
    ];
  });
  return markdownTable([
    [
      title,
      "ours",
      `exa-mcp-server ${theirs.version}`,
      "SDK v2 floor",
      "ours ÷ theirs",
      "floor ÷ theirs",
      "ours ÷ floor",
      ...others.flatMap(({ name }) => [name, `${name} ÷ floor`]),
    ],
    ...rows,
  ]);
}

const cpuKnown = targets.every((target) => target.cpuMs.every((ms) => ms !== undefined));
process.stdout.write(
  `${table("ms", "spawn → tools/list, median")}\n\n${cpuKnown ? `${table("cpuMs", "server CPU until tools/list, median")}\n\n` : ""}Median of ${rounds} interleaved rounds (compile cache warm); 1-minute load average ${fixed(load[0], 1)} → ${fixed(load[1], 1)}.\n`,
);
