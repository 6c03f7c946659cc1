// The delivery-health view of diagnose_failures as an MCP Apps resource (extension io.modelcontextprotocol/ui):
// one self-contained HTML file a host renders in a sandboxed iframe with the tool's result. The HTML is large
// (~0.5 MB), so it loads on the first read, never at start-up. The view itself is src/ui/health/.
import { RESOURCE_MIME_TYPE, registerAppResource } from "@modelcontextprotocol/ext-apps/server";
import type { McpServer } from "@modelcontextprotocol/server";

export const HEALTH_VIEW_URI = "ui://exa-webhooks/health";
/** Inline script and style only, no network: the host's default (deny-all) CSP is all the view needs. */
const VIEW_META = { ui: { prefersBorder: true } };

export function registerHealthView(server: McpServer): void {
  registerAppResource(
    server,
    "health-view",
    HEALTH_VIEW_URI,
    {
      title: "Delivery health view",
      description: "The interactive view of diagnose_failures, for clients that show MCP Apps.",
      _meta: VIEW_META,
    },
    async (uri) => {
      const { healthViewHtml } = await import("../ui/html.js");
      return {
        contents: [{ uri: uri.href, mimeType: RESOURCE_MIME_TYPE, text: await healthViewHtml(), _meta: VIEW_META }],
      };
    },
  );
}
