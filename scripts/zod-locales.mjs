// An esbuild plugin shared by the bin's build (build.mjs) and the health view's (build-view.mjs).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));

/**
 * zod re-exports ~40 translations of its error messages as `z.locales`; nothing here uses them, and they are
 * a quarter of the bundle's parse time. Keep English (zod's default) only.
 */
export const englishOnlyZodLocales = {
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
