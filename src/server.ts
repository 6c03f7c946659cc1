// createServer: a pure factory that registers the configured tools on an McpServer. No I/O at construction;
// transports are connected by the caller (src/index.ts, tests).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  type CallToolResult,
  ListToolsRequestSchema,
  type ListToolsResult,
  type ServerNotification,
  type ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Config } from "./config.js";
import { ExaClient } from "./exa/client.js";
import { MissingApiKeyError } from "./exa/errors.js";
import { inputIssuesText, ToolInputError, toolErrorText } from "./format/tool-error.js";
import { serverInstructions } from "./instructions.js";
import { registerPrompts } from "./prompts/index.js";
import { createRedactor, type Redactor } from "./redact.js";
import { registerResources } from "./resources/index.js";
import { guardToolCalls } from "./tools/call-guard.js";
import type { ToolContext } from "./tools/define.js";
import { type AnyToolDefinition, selectTools } from "./tools/index.js";
import { parseToolInput } from "./tools/inputs.js";
import { listTools } from "./tools/list-tools.js";
import { VERSION } from "./version.js";

type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const ANY_ARGUMENTS = z.looseObject({});

export const SANDBOX_MARKER = "[sandbox: simulated data]";

export interface ServerDependencies {
  /** Extra context for sandbox-only tools (the in-process emulator). */
  sandbox?: ToolContext["sandbox"];
}

export function createServer(config: Config, dependencies: ServerDependencies = {}): McpServer {
  const server = new McpServer(
    { name: "exa-webhooks-mcp", version: VERSION },
    { capabilities: { logging: {} }, instructions: serverInstructions(config.sandbox) },
  );
  // The one Redactor of this server: every channel below sends through it.
  const redactor = createRedactor(config.apiKey);
  const log: ToolContext["log"] = (level, message) => {
    // Logging is best effort: a client that went away must not fail the tool call.
    server.server
      .sendLoggingMessage({ level, logger: "exa-webhooks-mcp", data: redactor.redact(message) })
      .catch(() => {});
  };
  let client: ExaClient | undefined;
  const exa = (): ExaClient => {
    if (!config.apiKey) throw new MissingApiKeyError();
    client ??= new ExaClient({
      baseUrl: config.baseUrl,
      apiKey: config.apiKey,
      timeoutMs: config.timeoutMs,
      retryBaseMs: config.retryBaseMs,
      userAgent: `exa-webhooks-mcp/${VERSION}`,
      onRetry: (notice) =>
        log(
          "warning",
          `Retrying ${notice.method} ${notice.path} in ${notice.delayMs} ms (retry ${notice.retry}): ${notice.reason}`,
        ),
    });
    return client;
  };

  const tools = selectTools(config);
  for (const tool of tools) {
    registerTool(server, tool, config, redactor, { exa, log, sandbox: dependencies.sandbox });
  }
  // Replace the SDK's listing (rebuilt on every call, with JSON Schema noise) by a compact one built once.
  let listing: ListToolsResult | undefined;
  server.server.removeRequestHandler("tools/list");
  server.server.setRequestHandler(ListToolsRequestSchema, () => {
    listing ??= { tools: listTools(tools) };
    return listing;
  });
  registerResources(server, config, exa, redactor);
  registerPrompts(server);
  // Arguments the SDK would refuse with a raw zod dump (or strip) are answered like every other bad input.
  const connect = server.connect.bind(server);
  server.connect = (transport) =>
    connect(
      guardToolCalls(transport, (name, args) => {
        const tool = tools.find((candidate) => candidate.name === name);
        const input = tool && parseToolInput(tool.inputSchema, args);
        if (!input || input.success) return undefined;
        return errorResult(new ToolInputError(inputIssuesText(input.issues)), name, args, config, redactor);
      }),
    );
  return server;
}

interface SharedContext {
  exa: ToolContext["exa"];
  log: ToolContext["log"];
  sandbox: ToolContext["sandbox"];
}

function registerTool(
  server: McpServer,
  tool: AnyToolDefinition,
  config: Config,
  redactor: Redactor,
  shared: SharedContext,
): void {
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      // Arguments are validated below, by the tool's own schema, so a bad call reads like every other error
      // of this server (sandbox marker included). tools/list shows the real schema (src/tools/list-tools.ts).
      inputSchema: ANY_ARGUMENTS,
      outputSchema: tool.outputSchema,
      annotations: tool.annotations,
    },
    async (args: Record<string, unknown>, extra: ToolExtra): Promise<CallToolResult> => {
      const progressToken = extra._meta?.progressToken;
      const context: ToolContext = {
        ...shared,
        config,
        signal: extra.signal,
        progress: async (progress, total, message) => {
          if (progressToken === undefined) return;
          await extra
            .sendNotification({
              method: "notifications/progress",
              params: {
                progressToken,
                progress,
                ...(total === undefined ? {} : { total }),
                ...(message ? { message: redactor.redact(message) } : {}),
              },
            })
            .catch(() => {});
        },
      };
      try {
        const input = parseToolInput(tool.inputSchema, args);
        if (!input.success) throw new ToolInputError(inputIssuesText(input.issues));
        const result = await tool.handler(input.data, context);
        const answer = redactor.redact({
          content: [{ type: "text" as const, text: withMarker(result.text, config) }],
          structuredContent: result.structured as Record<string, unknown>,
        });
        // Shown this once (create_webhook), hidden from every later output.
        redactor.learn(result.secret);
        return answer;
      } catch (error) {
        return errorResult(error, tool.name, args, config, redactor);
      }
    },
  );
}

function errorResult(error: unknown, tool: string, args: unknown, config: Config, redactor: Redactor): CallToolResult {
  const named = args && typeof args === "object" && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
  const text = toolErrorText(error, { tool, args: named, baseUrl: config.baseUrl });
  return { content: [{ type: "text", text: redactor.redact(withMarker(text, config)) }], isError: true };
}

function withMarker(text: string, config: Config): string {
  return config.sandbox ? `${SANDBOX_MARKER} ${text}` : text;
}
