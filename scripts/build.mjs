// Builds the published bin with every dependency inlined (so `npx` installs one package): dist/index.js
// (src/bin.ts) turns on Node's compile cache and loads dist/main.js (src/main.ts), the program; code only some
// modes need (HTTP, the sandbox, `call`, signature checks, the diagnosis engine) and the tools' zod schemas and
// handlers sit in dist/chunks/ and load when a mode or a call first imports them. tools/list is served from
// JSON Schema converted at build time (scripts/tool-listings.mjs). `bundle` is exported for the bench, which builds its SDK-floor server with the same options.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { buildHealthView } from "./build-view.mjs";
import { prebuiltToolListings } from "./tool-listings.mjs";
import { englishOnlyZodLocales } from "./zod-locales.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/** The SDK's platform shim without ajv (see src/sdk-shims.ts). */
const lightSdkShims = {
  name: "light-sdk-shims",
  setup(plugin) {
    plugin.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, () => ({
      path: join(root, "src/sdk-shims.ts"),
    }));
  },
};

/** The health view's HTML (build-view.mjs) in place of src/ui/html.ts: its own chunk, loaded on the first read. */
const healthViewHtml = {
  name: "health-view-html",
  setup(plugin) {
    plugin.onLoad({ filter: /[\\/]src[\\/]ui[\\/]html\.ts$/ }, async () => ({
      contents: `export const healthViewHtml = () => Promise.resolve(${JSON.stringify(await buildHealthView())});`,
      loader: "js",
    }));
  },
};

const define = { __PACKAGE_VERSION__: JSON.stringify(version) };

/**
 * The one bundle configuration: the published bin (below) and the bench's SDK-floor server
 * (bench/lib/floors.mjs) are built with it, so the two compare like for like.
 */
export async function bundle({ entryPoints, outdir }) {
  return build({
    entryPoints,
    outdir,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    minify: true,
    legalComments: "none",
    define,
    // Some inlined dependencies are CommonJS and require() Node's builtins.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    plugins: [
      englishOnlyZodLocales,
      healthViewHtml,
      prebuiltToolListings({ define, logLevel: "warning" }),
      ...(process.env.BUILD_NO_LIGHT_SHIMS ? [] : [lightSdkShims]),
    ],
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = process.env.BUILD_OUTDIR ?? join(root, "dist");
  rmSync(outdir, { recursive: true, force: true });
  await bundle({ entryPoints: { index: join(root, "src/bin.ts"), main: join(root, "src/main.ts") }, outdir });
}
