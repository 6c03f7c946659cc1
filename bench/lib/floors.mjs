// What any server's cold start stands on, measured in the same interleaved rounds as ours and theirs: Node
// starting (`node -e 0`), a process that answers initialize and tools/list from constants, and the MCP SDK v2
// floor (bench/fixtures/sdk-floor.ts, bundled like ours). Built into .bench-tmp/floors on every run.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundle } from "../../scripts/build.mjs";
import { benchDir, ROOT } from "./paths.mjs";

const CONSTANTS_SERVER = `// Answers initialize and tools/list from constants: Node, a stdin reader and JSON, nothing else.
import { createInterface } from "node:readline";
createInterface({ input: process.stdin }).on("line", (line) => {
  const message = JSON.parse(line);
  if (message.id === undefined) return;
  const result = message.method === "initialize"
    ? { protocolVersion: message.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "constants", version: "1" } }
    : { tools: [{ name: "echo", description: "Echo a text.", inputSchema: { type: "object", properties: { text: { type: "string" } } } }] };
  process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: message.id, result }) + "\\n");
});
`;

/** The same three lines as src/bin.ts: Node's compile cache where it exists, then the program. */
const COMPILE_CACHE_BIN = `import module from "node:module";
module.enableCompileCache?.();
await import("./main.js");
`;

export async function prepareFloors() {
  const dir = benchDir("floors");
  const constants = join(dir, "constants.mjs");
  writeFileSync(constants, CONSTANTS_SERVER);
  const sdkDir = join(dir, "sdk");
  rmSync(sdkDir, { recursive: true, force: true });
  mkdirSync(sdkDir, { recursive: true });
  await bundle({ entryPoints: { main: join(ROOT, "bench/fixtures/sdk-floor.ts") }, outdir: sdkDir });
  writeFileSync(join(sdkDir, "index.mjs"), COMPILE_CACHE_BIN);
  // package.json "type": "module" like ours, so Node reads main.js as ESM without detecting it.
  writeFileSync(join(sdkDir, "package.json"), '{ "type": "module" }\n');
  return { constants, sdk: join(sdkDir, "index.mjs") };
}
