// Build-time tools/list: runs src/tools/listings.ts once (each tool's JSON Schema, converted from its zod schema
// by the same code the server runs from source) and bundles the result in that module's place. The bin then
// registers and lists its tools from constants; a tool's zod schemas load on its first call.
// test/server/tools-list.test.ts checks the built bin lists exactly what the run-time conversion gives.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

/** TOOL_LISTINGS as src/tools/listings.ts computes them, run once in a throw-away bundle. */
async function computeToolListings(source, options) {
  const dir = mkdtempSync(join(tmpdir(), "tool-listings-"));
  try {
    const outfile = join(dir, "listings.mjs");
    await build({ ...options, entryPoints: [source], outfile, bundle: true, format: "esm", platform: "node" });
    const { TOOL_LISTINGS } = await import(pathToFileURL(outfile).href);
    return TOOL_LISTINGS;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** esbuild plugin: src/tools/listings.ts becomes its own result, a constant. */
export function prebuiltToolListings(options) {
  return {
    name: "prebuilt-tool-listings",
    setup(plugin) {
      plugin.onLoad({ filter: /[\\/]src[\\/]tools[\\/]listings\.ts$/ }, async ({ path }) => ({
        contents: `export const TOOL_LISTINGS = ${JSON.stringify(await computeToolListings(path, options))};`,
        loader: "js",
      }));
    },
  };
}
