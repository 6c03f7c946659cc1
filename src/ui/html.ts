// The health view's HTML (src/ui/health/, built by scripts/build-view.mjs). The bundle carries it as one string:
// scripts/build.mjs puts it in place of this module, in a chunk of its own that loads on the first read. From
// source (tests, development) it is built on first use.
let html: Promise<string> | undefined;

export function healthViewHtml(): Promise<string> {
  const builder = new URL("../../scripts/build-view.mjs", import.meta.url).href;
  html ??= import(builder).then((module: { buildHealthView(): Promise<string> }) => module.buildHealthView());
  return html;
}
