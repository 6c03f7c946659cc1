// Builds the published bin: dist/server.cjs holds the server with every dependency inlined (so `npx`
// installs one package), and dist/index.js is a small loader that runs it through a V8 code cache.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../", import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const define = { __PACKAGE_VERSION__: JSON.stringify(version) };
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  define,
  logLevel: "warning",
};

/**
 * zod re-exports ~40 translations of its error messages as `z.locales`; nothing here uses them, and they are
 * a quarter of the bundle's parse time. Keep English (zod's default) only.
 */
const englishOnlyZodLocales = {
  name: "english-only-zod-locales",
  setup(plugin) {
    plugin.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => {
      if (!args.importer.includes(`${join("node_modules", "zod")}`)) return undefined;
      const english = join(dirname(args.importer), "..", "locales", "en.js");
      return { path: args.path, namespace: "zod-locales", pluginData: { english } };
    });
    plugin.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.pluginData.english)};`,
      resolveDir: root,
    }));
  },
};

/** tools/list of every tool, as the server would compute it at its first tools/list (src/tools/list-tools.ts). */
async function prebuiltToolListing() {
  const script = join(root, "build", "tool-listing.mjs");
  await build({
    ...common,
    define: { ...define, __TOOL_LISTING__: "undefined" },
    stdin: {
      contents: `import { ALL_TOOLS } from "./src/tools/index.ts"; import { listTools } from "./src/tools/list-tools.ts";
        process.stdout.write(JSON.stringify(listTools(ALL_TOOLS)));`,
      resolveDir: root,
      loader: "ts",
    },
    outfile: script,
    format: "esm",
    minify: false,
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return execFileSync(process.execPath, [script], { encoding: "utf8" });
}

await build({
  ...common,
  define: { ...define, __TOOL_LISTING__: await prebuiltToolListing() },
  entryPoints: [join(root, "src/index.ts")],
  outfile: join(root, "dist/server.cjs"),
  format: "cjs",
  plugins: [englishOnlyZodLocales],
});

// The loader runs the bundle in a vm.Script, where a dynamic import() has no module loader and fails at run
// time (esbuild keeps import() of Node builtins as is). Catch it here rather than in a user's session.
const dynamicImport = /\bimport\(\s*["'`]/.exec(readFileSync(join(root, "dist/server.cjs"), "utf8"));
if (dynamicImport) {
  throw new Error("dist/server.cjs contains a dynamic import() of an external module; use a static import instead.");
}

await build({
  ...common,
  entryPoints: [join(root, "src/loader.ts")],
  outfile: join(root, "dist/index.js"),
  format: "esm",
});
