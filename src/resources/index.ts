// Registers the server's resources. Failures become a readable error message, like the tools' errors.
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Config } from "../config.js";
import type { ExaClient } from "../exa/client.js";
import { toolErrorText } from "../format/tool-error.js";
import type { Redactor } from "../redact.js";
import { EVENT_TYPES_URI, renderEventTypes } from "./event-types.js";
import { renderWebhookList, renderWebhookResource, WEBHOOK_URI_TEMPLATE, WEBHOOKS_URI } from "./webhooks.js";

export function registerResources(server: McpServer, config: Config, exa: () => ExaClient, redactor: Redactor): void {
  // Every resource answer goes out through `markdown` and every failure through `failure`: the redaction
  // choke points of this channel.
  const markdown = (uri: URL, text: string) =>
    redactor.redact({ contents: [{ uri: uri.href, mimeType: "text/markdown", text }] });
  const failure = (error: unknown, args: Record<string, unknown>) =>
    new Error(redactor.redact(toolErrorText(error, { tool: "the resource read", args, baseUrl: config.baseUrl })));

  server.registerResource(
    "event-types",
    EVENT_TYPES_URI,
    {
      title: "Exa event types",
      description: "The 19 event types: meaning and payload resource.",
      mimeType: "text/markdown",
    },
    (uri) => markdown(uri, renderEventTypes()),
  );

  server.registerResource(
    "webhooks",
    WEBHOOKS_URI,
    { title: "Exa webhooks", description: "The account's webhooks, one line each.", mimeType: "text/markdown" },
    async (uri, extra) => {
      try {
        return markdown(uri, await renderWebhookList(exa(), extra.signal));
      } catch (error) {
        throw failure(error, {});
      }
    },
  );

  server.registerResource(
    "webhook",
    new ResourceTemplate(WEBHOOK_URI_TEMPLATE, { list: undefined }),
    {
      title: "One Exa webhook",
      description: "A webhook's configuration with a summary of its recent delivery attempts.",
      mimeType: "text/markdown",
    },
    async (uri, variables, extra) => {
      const raw = String(variables.webhookId ?? "");
      let webhookId = raw;
      try {
        webhookId = decodeURIComponent(raw);
      } catch {
        // Not valid percent-encoding: let the id check below name it.
      }
      try {
        return markdown(uri, await renderWebhookResource(exa(), webhookId, extra.signal));
      } catch (error) {
        throw failure(error, { webhookId });
      }
    },
  );
}
