// Builds test/store/claimer.ts (and the store it imports, pg included) into one .mjs that a plain `node` runs,
// so the concurrency tests start real second processes on the same store.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

let built: Promise<string> | undefined;

export function claimerScript(): Promise<string> {
  built ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), "exa-store-claimer-")), "claimer.mjs");
    await build({
      entryPoints: [new URL("./claimer.ts", import.meta.url).pathname],
      outfile,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node22",
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      logLevel: "error",
    });
    return outfile;
  })();
  return built;
}
