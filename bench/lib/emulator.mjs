// The emulator of Exa's webhooks API, loaded from source: esbuild bundles src/sandbox/emulator.ts into the
// scratch folder so the bench can start it in-process, seed its store and read its request log.
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { benchDir, ROOT } from "./paths.mjs";

/** @returns {Promise<typeof import("../../src/sandbox/emulator.js")>} */
export async function loadEmulatorModule() {
  const outfile = `${benchDir("emulator")}/index.mjs`;
  await build({
    entryPoints: [`${ROOT}src/sandbox/emulator.ts`],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    logLevel: "warning",
  });
  return import(pathToFileURL(outfile).href);
}
