// createServer: a pure factory that registers the configured tools, resources and prompts on an McpServer.
// No I/O at construction; the entries (src/transports/) build one per connection (stdio) or request (HTTP).
import { getUiCapability, RESOURCE_MIME_TYPE, registerAppTool } from "@modelcontextprotocol/ext-apps/server";
import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  LOG_LEVEL_META_KEY,
  type LoggingLevel,
  McpServer,
  type ProtocolEra,
  type ServerContext,
  type StandardSchemaWithJSON,
} from "@modelcontextprotocol/server";
import type { Config } from "./config.js";
import { ToolInputError } from "./errors.js";
import type { ExaClient } from "./exa/client.js";
import { serverInstructions } from "./instructions.js";
import { registerPrompts } from "./prompts/index.js";
import {
  registerHealthResources,
  type WatchDependency,
  type WatchPush,
  watchCapabilities,
} from "./resources/health.js";
import { registerResources } from "./resources/index.js";
import { createStoreAccess } from "./store/access.js";
import type { AccountMemory, StoreAccess } from "./store/types.js";
import { createRedactor, type Redactor } from "./text/redact.js";
import { cleanStructured } from "./text/untrusted.js";
import { loadToolDefinition, outputProblems, parseToolArguments, selectTools } from "./tools/catalog.js";
import type { ToolContext, ToolListing } from "./tools/define.js";
import { progressReporter } from "./tools/progress.js";
import { VERSION } from "./version.js";

export const SANDBOX_MARKER = "[sandbox: simulated data]";

/** A small webhook glyph, inline so the icon works offline and before the package has a home page. */
const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="#1f40ed" stroke-width="2" stroke-linecap="round"><path d="M18 16.98h-5.99c-1.1 0-1.95.94-2.48 1.9A4 4 0 0 1 2 17c.01-.7.2-1.4.57-2"/><path d="m6 17 3.13-5.78c.53-.97.1-2.18-.5-3.1a4 4 0 1 1 6.89-4.06"/><path d="m12 6 3.13 5.73C15.66 12.7 16.9 13 18 13a4 4 0 0 1 0 8"/></svg>';

export const SERVER_INFO = {
  name: "exa-webhooks-mcp",
  title: "Exa Websets Webhooks",
  version: VERSION,
  description: "Manage Exa Websets webhooks, read delivery attempts, and diagnose why deliveries fail.",
  websiteUrl: "https://www.npmjs.com/package/exa-webhooks-mcp",
  icons: [{ src: `data:image/svg+xml;base64,${Buffer.from(ICON_SVG).toString("base64")}`, mimeType: "image/svg+xml" }],
};

export interface ServerDependencies {
  /**
   * Where redeliveries are remembered (src/store/), shared by every request: opened by the first call that needs
   * it. Without one, each server gets a private memory store (tests, embedding).
   */
  store?: StoreAccess;
  /** Extra context for sandbox-only tools (the in-process emulator). */
  sandbox?: ToolContext["sandbox"];
  /** Where warnings are written besides MCP logging; stderr unless a test collects them. */
  stderr?: (line: string) => void;
  /** --watch: the running watch's feed (health resources, updates, the opt-in channel). */
  watch?: WatchDependency;
}

export interface ServerOptions {
  /** The protocol generation the connection speaks: decides how a client asks for log messages. */
  era?: ProtocolEra;
  /** Over HTTP: the Exa key this request brought (X-Exa-Api-Key), used instead of config.apiKey, hidden like it. */
  requestApiKey?: string | undefined;
  /** Over HTTP: keys come with requests, so a request without one is told how to send it. */
  requestKeys?: boolean;
  /**
   * Over HTTP every request gets its own server, so a 2025 client's logging/setLevel cannot reach its later
   * calls: those get info and above (or the level the call's own `_meta` names), on the call's own stream.
   */
  stateless?: boolean;
  /** Over HTTP: aborts when the request's client hangs up, so every tool's work ends with its connection. */
  connectionSignal?: AbortSignal | undefined;
}

/** What a 2025 client gets over stateless HTTP, where the level it set cannot outlive its own request. */
const STATELESS_LOG_LEVEL: LoggingLevel = "info";

const LEVELS: readonly LoggingLevel[] = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
];

export function createServer(
  config: Config,
  dependencies: ServerDependencies = {},
  options: ServerOptions = {},
): McpServer {
  const apiKey = options.requestApiKey ?? config.apiKey;
  // The watch's health only to a caller of its account (over HTTP a request may bring another key).
  const watch = dependencies.watch?.feed.watchesKey(apiKey) ? dependencies.watch : undefined;
  const push = watchPush(options);
  const server = new McpServer(SERVER_INFO, {
    capabilities: { logging: {}, ...watchCapabilities(watch, push) },
    instructions: serverInstructions(config.sandbox),
  });
  // The one Redactor of this server (of this request, over HTTP): every channel below sends through it.
  const redactor = createRedactor(config.apiKey, options.requestApiKey);
  // Configured signing secrets are as secret as the key: a receiver may echo one back (redeliver_events).
  for (const secret of config.webhookSecrets.values()) redactor.learn(secret);
  const stderr = dependencies.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const legacyLogLevel =
    options.era === "modern" ? undefined : options.stateless ? statelessLogLevel : trackLegacyLogLevel(server);

  /**
   * A log function for one request: MCP logging as the client asked for it, warnings and worse to stderr too.
   * Without a request (a completion callback has none) only stderr.
   */
  const requestLog =
    (ctx: ServerContext | undefined): ToolContext["log"] =>
    (level, message) => {
      const data = redactor.redact(message);
      if (LEVELS.indexOf(level) >= LEVELS.indexOf("warning")) stderr(`exa-webhooks-mcp: ${data}`);
      if (!ctx) return;
      // 2026-07-28 clients ask per request (the SDK reads the envelope); 2025 clients with logging/setLevel.
      if (legacyLogLevel) {
        const asked = legacyLogLevel(ctx);
        if (asked === undefined || LEVELS.indexOf(level) < LEVELS.indexOf(asked)) return;
      }
      // Logging is best effort: a client that went away must not fail the call.
      ctx.mcpReq.log(level, data, "exa-webhooks-mcp").catch(() => {});
    };

  const clientSettings = {
    baseUrl: config.baseUrl,
    apiKey,
    timeoutMs: config.timeoutMs,
    retryBaseMs: config.retryBaseMs,
    requestKeys: options.requestKeys,
  };
  /** The Exa client of one request, its retries reported to that request's log (src/exa/connect.ts, loaded here). */
  const requestExa = async (log: ToolContext["log"]) =>
    (await import("./exa/connect.js")).requestClient(clientSettings, (message) => log("warning", message));

  const store = dependencies.store ?? createStoreAccess({ engine: "memory" });
  /** The store with this request's account: rows are keyed by an HMAC of the key the request uses. */
  const memory = async (): Promise<AccountMemory> => {
    const key = (await import("./exa/connect.js")).requireApiKey(clientSettings);
    const opened = await store.open();
    return opened.ok ? { ...opened, account: opened.store.accountId(key) } : opened;
  };

  // Registered in the registry's order, which is the order tools/list shows.
  const tools = selectTools(config);
  for (const tool of tools) {
    registerTool(server, tool, config, redactor, async (ctx) => {
      const log = requestLog(ctx);
      const signal = options.connectionSignal
        ? AbortSignal.any([ctx.mcpReq.signal, options.connectionSignal])
        : ctx.mcpReq.signal;
      return { log, exa: await requestExa(log), memory, sandbox: dependencies.sandbox, signal };
    });
  }
  const exaFor = async (ctx?: ServerContext): Promise<ExaClient> => (await requestExa(requestLog(ctx)))();
  registerResources(server, config, exaFor, redactor);
  registerPrompts(server, exaFor);
  if (watch) registerHealthResources(server, watch, { era: options.era, push }, redactor);
  return server;
}

/** Over stateless HTTP a server lives for one request: a 2026-07-28 listen stream is the only way to push. */
function watchPush(options: ServerOptions): WatchPush {
  if (!options.stateless) return "connection";
  return options.era === "modern" ? "listen" : "none";
}

/**
 * The level a 2025-era client set with logging/setLevel, undefined until it asks: no log messages before that.
 * (The SDK's own handler sends everything until a level is set.)
 */
function trackLegacyLogLevel(server: McpServer): (ctx: ServerContext) => LoggingLevel | undefined {
  let level: LoggingLevel | undefined;
  server.server.removeRequestHandler("logging/setLevel");
  server.server.setRequestHandler("logging/setLevel", (request) => {
    level = request.params.level;
    return {};
  });
  return () => level;
}

function statelessLogLevel(ctx: ServerContext): LoggingLevel {
  const asked = ctx.mcpReq._meta?.[LOG_LEVEL_META_KEY];
  return LEVELS.includes(asked as LoggingLevel) ? (asked as LoggingLevel) : STATELESS_LOG_LEVEL;
}

type RequestContext = (
  ctx: ServerContext,
) => Promise<Pick<ToolContext, "exa" | "log" | "memory" | "sandbox" | "signal">>;

/**
 * One tool, registered from its listing: the SDK lists the listing's JSON Schemas as they are, validates each
 * call's arguments with the tool's zod input schema (`toolInput`) and each result with its output schema, and
 * calls the handler with the parsed arguments. The tool's module (zod schemas, handler) loads on its first call.
 */
function registerTool(
  server: McpServer,
  tool: ToolListing,
  config: Config,
  redactor: Redactor,
  perRequest: RequestContext,
): void {
  const refuse = (error: unknown, args: unknown) => errorResult(error, tool.name, args, config, redactor, tool);
  registrar(server, tool)(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: toolInput(tool, refuse),
      outputSchema: toolOutput(tool),
      annotations: tool.annotations,
    },
    async (input: unknown, ctx: ServerContext): Promise<CallToolResult> => {
      const progress = progressReporter(ctx, (message) => redactor.redact(message));
      try {
        const [definition, perCall] = await Promise.all([loadToolDefinition(tool.name), perRequest(ctx)]);
        const context: ToolContext = {
          ...perCall,
          config,
          progress: progress.report,
          showsViews: clientShowsViews(server, ctx),
          hideSecret: (secret) => redactor.learn(secret),
          redact: (text) => redactor.redact(text),
        };
        const result = await definition.handler(input, context);
        const answer = redactor.redact({
          content: [{ type: "text" as const, text: withMarker(result.text, config, tool) }],
          structuredContent: cleanStructured(result.structured) as Record<string, unknown>,
        });
        // Shown this once (create_webhook), hidden from every later output.
        redactor.learn(result.secret);
        return answer;
      } catch (error) {
        return refuse(error, input);
      } finally {
        await progress.settled();
      }
    },
  );
}

/**
 * A tool's input schema as the SDK takes it (Standard Schema with JSON Schema): tools/list shows the listing's
 * JSON Schema; validation is `parseToolInput` with the tool's zod schema, loaded on the first call. The SDK
 * would word a list of issues as "Input validation error: Invalid arguments for tool …" without the sandbox
 * marker; an error thrown by validation reaches the model as its message, so a refusal throws the tool error
 * every other bad input gets.
 */
function toolInput(
  tool: ToolListing,
  refuse: (error: unknown, args: unknown) => Promise<CallToolResult>,
): StandardSchemaWithJSON<unknown, unknown> {
  return standardSchema(tool.inputSchema, async (args) => {
    const input = await parseToolArguments(tool.name, args);
    if (input.success) return { value: input.data };
    const { inputIssuesText } = await import("./format/tool-error.js");
    const refusal = await refuse(new ToolInputError(inputIssuesText(input.issues)), args);
    throw new Error(refusal.content.map((part) => (part.type === "text" ? part.text : "")).join(""));
  });
}

/** A tool's output schema as the SDK takes it: listed as converted, results checked by zod before they leave. */
function toolOutput(tool: ToolListing): StandardSchemaWithJSON {
  return standardSchema(tool.outputSchema, async (value) => {
    const problems = await outputProblems(tool.name, value);
    return problems === undefined ? { value } : { issues: [{ message: problems }] };
  });
}

function standardSchema<In, Out>(
  jsonSchema: Record<string, unknown>,
  validate: StandardSchemaWithJSON<In, Out>["~standard"]["validate"],
): StandardSchemaWithJSON<In, Out> {
  const listed = () => jsonSchema;
  return {
    "~standard": { version: 1, vendor: "exa-webhooks-mcp", validate, jsonSchema: { input: listed, output: listed } },
  };
}

type ToolRegistration = {
  title: string;
  description: string;
  inputSchema: StandardSchemaWithJSON<unknown, unknown>;
  outputSchema: StandardSchemaWithJSON;
  annotations: ToolListing["annotations"];
};
type ToolCallHandler = (args: unknown, ctx: ServerContext) => Promise<CallToolResult>;

/** A tool with a view registers through ext-apps' helper, which also writes the key older hosts read. */
function registrar(server: McpServer, tool: ToolListing) {
  const meta = tool._meta;
  return (name: string, registration: ToolRegistration, handler: ToolCallHandler): void => {
    if (meta) registerAppTool(server, name, { ...registration, _meta: meta }, handler);
    else server.registerTool(name, registration, handler);
  };
}

/**
 * Whether the client announced MCP Apps (extension io.modelcontextprotocol/ui) with the HTML view type: a
 * 2026-07-28 request carries the client's capabilities itself, a 2025 connection declared them at initialize.
 */
function clientShowsViews(server: McpServer, ctx: ServerContext): boolean {
  const envelope = ctx.mcpReq.envelope as { [CLIENT_CAPABILITIES_META_KEY]?: ClientCapabilities } | undefined;
  const capabilities = envelope?.[CLIENT_CAPABILITIES_META_KEY] ?? server.server.getClientCapabilities();
  return getUiCapability(capabilities)?.mimeTypes?.includes(RESOURCE_MIME_TYPE) ?? false;
}

/** A failed call as the model reads it; the error-to-text mapper loads with the first failure. */
async function errorResult(
  error: unknown,
  tool: string,
  args: unknown,
  config: Config,
  redactor: Redactor,
  definition: ToolListing | undefined,
): Promise<CallToolResult> {
  const { toolErrorText } = await import("./format/tool-error.js");
  const named = args && typeof args === "object" && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
  const text = toolErrorText(error, { tool, args: named, baseUrl: config.baseUrl });
  return { content: [{ type: "text", text: redactor.redact(withMarker(text, config, definition)) }], isError: true };
}

function withMarker(text: string, config: Config, tool: ToolListing | undefined): string {
  return config.sandbox && readsSandbox(tool) ? `${SANDBOX_MARKER} ${text}` : text;
}

/** Every tool reads the sandbox's simulated data but one that reaches no world at all (the offline signature check). */
function readsSandbox(tool: ToolListing | undefined): boolean {
  return !tool || tool.sandboxOnly === true || tool.annotations.openWorldHint !== false;
}
