// The shape of one tool: a declarative definition plus a handler that returns text for the model and
// its structured twin. Registration, error mapping and the sandbox marker live in server.ts, not here.
import type { z } from "zod";
import type { Config } from "../config.js";
import type { ExaClient } from "../exa/client.js";
import type { SandboxHandle } from "../sandbox/handle.js";
import type { AccountMemory } from "../store/types.js";

interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolContext {
  /** The Exa client; getting it throws a MissingApiKeyError when no key is configured. */
  exa(): ExaClient;
  config: Config;
  /** Aborted when the MCP client cancels the request. */
  signal: AbortSignal;
  /** Sends notifications/progress when the request carried a progressToken; a no-op otherwise. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** MCP logging (notifications/message); never stdout. */
  log(level: "debug" | "info" | "warning" | "error", message: string): void;
  /**
   * The store, opened on the first call that asks (never at start), with this caller's account id: over HTTP
   * with per-request keys, each key has its own rows. Never throws: a store that cannot open says why.
   */
  memory(): Promise<AccountMemory>;
  /** The in-process sandbox, present only with --sandbox. */
  sandbox: SandboxHandle | undefined;
  /**
   * The client shows MCP Apps views (it announced the io.modelcontextprotocol/ui extension with the
   * text/html;profile=mcp-app type): a tool with a view may add what only the view reads.
   */
  showsViews: boolean;
  /** Hide a secret this call uses (a webhook signing secret) from every later output of this server. */
  hideSecret(secret: string): void;
  /** `text` with every secret this server knows (the API key, webhook secrets) replaced: for what goes to the store. */
  redact(text: string): string;
}

interface ToolResult<S> {
  text: string;
  structured: S;
  /** A webhook secret this result shows by design (create_webhook); the server hides it from every later output. */
  secret?: string | undefined;
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  /** Offered only with --sandbox (it drives the emulator). --read-only goes by `annotations.readOnlyHint`. */
  sandboxOnly?: true;
  inputSchema: I;
  outputSchema: O;
  annotations: ToolAnnotations;
  /** MCP Apps: the view (a ui:// resource, src/resources/) a host that shows views renders with the result. */
  _meta?: { ui: { resourceUri: string } };
  handler(input: z.infer<I>, context: ToolContext): Promise<ToolResult<z.infer<O>>>;
}

/**
 * A tool as tools/list shows it, without its zod schemas or handler: the JSON Schemas are converted from them
 * (src/tools/listings.ts), so the server can register and list a tool before loading its module.
 */
export interface ToolListing {
  name: string;
  title: string;
  description: string;
  sandboxOnly?: true;
  annotations: ToolAnnotations;
  _meta?: { ui: { resourceUri: string } };
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
}

/** Identity helper that keeps the input/output types of one definition tied together. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  definition: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return definition;
}
