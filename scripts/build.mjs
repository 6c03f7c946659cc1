// Builds the published bin: dist/server.cjs holds the server with every dependency inlined (so `npx`
// installs one package), and dist/index.js is a small loader that runs it through a V8 code cache.
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

await build({
  ...common,
  entryPoints: [join(root, "src/index.ts")],
  outfile: join(root, "dist/server.cjs"),
  format: "cjs",
  plugins: [englishOnlyZodLocales],
});

await build({
  ...common,
  entryPoints: [join(root, "src/loader.ts")],
  outfile: join(root, "dist/index.js"),
  format: "esm",
});
