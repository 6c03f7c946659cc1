// Registers the server's resources. A webhook that does not exist is the spec's resource-not-found error;
// other failures are a protocol error whose message reads like the tools' errors. Every answer and every
// failure goes out through `markdown` and `failure`: the redaction choke points of this channel. What a read
// needs beyond the metadata (the Exa client, the renderers, the error mapper) loads on the first read.
import {
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
  type ServerContext,
} from "@modelcontextprotocol/server";
import type { Config } from "../config.js";
import type { ExaClient } from "../exa/client.js";
import { InvalidIdError } from "../exa/ids.js";
import type { Redactor } from "../text/redact.js";
import { completeEventType, completeWebhookId } from "./complete.js";
import { registerHealthView } from "./health-view.js";

const EVENT_TYPES_URI = "exa-webhooks://event-types";
const EVENT_TYPE_URI_TEMPLATE = "exa-webhooks://event-types/{eventType}";
const WEBHOOKS_URI = "exa-webhooks://webhooks";
const WEBHOOK_URI_TEMPLATE = "exa-webhooks://webhooks/{webhookId}";

export function registerResources(
  server: McpServer,
  config: Config,
  exa: (ctx?: ServerContext) => Promise<ExaClient>,
  redactor: Redactor,
): void {
  const markdown = (uri: URL, text: string) =>
    redactor.redact({ contents: [{ uri: uri.href, mimeType: "text/markdown", text }] });
  const failure = async (uri: URL, error: unknown, args: Record<string, unknown>) => {
    const [{ toolErrorText }, { ExaApiError }] = await Promise.all([
      import("../format/tool-error.js"),
      import("../exa/errors.js"),
    ]);
    const message = redactor.redact(toolErrorText(error, { tool: "the resource read", args, baseUrl: config.baseUrl }));
    const missing = error instanceof InvalidIdError || (error instanceof ExaApiError && error.status === 404);
    return missing
      ? new ResourceNotFoundError(uri.href, message)
      : new ProtocolError(ProtocolErrorCode.InternalError, message);
  };

  server.registerResource(
    "event-types",
    EVENT_TYPES_URI,
    {
      title: "Exa event types",
      description: "The 19 event types: meaning and payload resource.",
      mimeType: "text/markdown",
    },
    async (uri) => markdown(uri, (await import("./event-types.js")).renderEventTypes()),
  );

  server.registerResource(
    "event-type",
    new ResourceTemplate(EVENT_TYPE_URI_TEMPLATE, {
      list: undefined,
      complete: { eventType: (typed) => completeEventType(typed) },
    }),
    {
      title: "One Exa event type",
      description: "What one event type means, which resource its data carries, and how to subscribe to it.",
      mimeType: "text/markdown",
    },
    async (uri, variables) => {
      const [{ renderEventType }, { EVENT_TYPES }] = await Promise.all([
        import("./event-types.js"),
        import("../exa/event-types.js"),
      ]);
      const text = renderEventType(decoded(String(variables.eventType ?? "")));
      if (text === undefined) {
        throw new ResourceNotFoundError(
          uri.href,
          `No event type ${uri.href.slice(EVENT_TYPES_URI.length + 1)}. Read ${EVENT_TYPES_URI} for the ${EVENT_TYPES.length} valid types.`,
        );
      }
      return markdown(uri, text);
    },
  );

  server.registerResource(
    "webhooks",
    WEBHOOKS_URI,
    { title: "Exa webhooks", description: "The account's webhooks, one line each.", mimeType: "text/markdown" },
    async (uri, ctx) => {
      try {
        const { renderWebhookList } = await import("./webhooks.js");
        return markdown(uri, await renderWebhookList(await exa(ctx), ctx.mcpReq.signal));
      } catch (error) {
        throw await failure(uri, error, {});
      }
    },
  );

  server.registerResource(
    "webhook",
    new ResourceTemplate(WEBHOOK_URI_TEMPLATE, {
      list: undefined,
      complete: { webhookId: (typed) => completeWebhookId(() => exa(), typed) },
    }),
    {
      title: "One Exa webhook",
      description: "A webhook's configuration with a summary of its recent delivery attempts.",
      mimeType: "text/markdown",
    },
    async (uri, variables, ctx) => {
      const webhookId = decoded(String(variables.webhookId ?? ""));
      try {
        const { renderWebhookResource } = await import("./webhooks.js");
        return markdown(uri, await renderWebhookResource(await exa(ctx), webhookId, ctx.mcpReq.signal));
      } catch (error) {
        throw await failure(uri, error, { webhookId });
      }
    },
  );

  registerHealthView(server);
}

/** A URI variable, percent-decoded; left as is when it is not valid percent-encoding (the id check names it). */
function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
