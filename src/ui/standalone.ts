// The health view as a file for any browser (`call diagnose_failures --html FILE`), for people whose client does
// not show MCP Apps: the view's HTML with the tool's structured result inlined as a JSON data block, which the
// view reads instead of waiting for a host, and a CSP that lets the file reach no network at all.
export const INLINED_RESULT_ID = "exa-health-result";

const OFFLINE_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'";

export function standaloneHealthView(viewHtml: string, structured: unknown): string {
  // Escaping every "<" keeps the JSON inside its element whatever Exa or a receiver wrote ("</script>", "<!--").
  const json = JSON.stringify(structured ?? null).replace(/</g, "\\u003c");
  const head = `<head>\n<meta http-equiv="Content-Security-Policy" content="${OFFLINE_CSP}">`;
  const data = `<script type="application/json" id="${INLINED_RESULT_ID}">${json}</script>\n<script>`;
  if (!viewHtml.includes("<head>") || !viewHtml.includes("<script>"))
    throw new Error("the health view's HTML has no <head> or <script> to inline the result before");
  // Function replacers: a "$" in the JSON must not be read as a replacement pattern.
  return viewHtml.replace("<head>", () => head).replace("<script>", () => data);
}
