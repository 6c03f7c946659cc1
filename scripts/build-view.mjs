// Builds the health view (src/ui/health/) into one self-contained HTML file: script and style inline, no
// network, so it runs under an MCP Apps host's default deny-all CSP. scripts/build.mjs puts the result into the
// bundle; src/ui/html.ts calls this when the server runs from source.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { englishOnlyZodLocales } from "./zod-locales.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
/** The spec's advice for a view's size, and ours: a host loads it into every conversation that shows it. */
export const HEALTH_VIEW_MAX_BYTES = 1024 * 1024;

export async function buildHealthView() {
  const result = await build({
    entryPoints: [join(root, "src/ui/health/main.ts")],
    bundle: true,
    write: false,
    outdir: "health",
    format: "iife",
    platform: "browser",
    target: ["chrome111", "firefox113", "safari16.4"],
    minify: true,
    legalComments: "none",
    plugins: [englishOnlyZodLocales],
    logLevel: "warning",
  });
  const output = (extension) => result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? "";
  // Inline in <script>, the text must not end the element early; esbuild already escapes "</script" in strings.
  const script = output(".js").replace(/<\/(script)/gi, "<\\/$1");
  const style = output(".css").replace(/<\/(style)/gi, "<\\/$1");
  if (/<!--|<\/script/i.test(script)) throw new Error("the health view's script cannot be inlined safely");
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Webhook delivery health</title>
<style>${style}</style>
</head>
<body>
<main id="app"></main>
<script>${script}</script>
</body>
</html>
`;
  const bytes = Buffer.byteLength(html);
  if (bytes > HEALTH_VIEW_MAX_BYTES)
    throw new Error(`the health view is ${bytes} bytes, over ${HEALTH_VIEW_MAX_BYTES}`);
  return html;
}
