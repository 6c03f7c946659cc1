// `exa-webhooks-mcp call <tool> [json]`: one tool call through a real MCP client, its text on stdout.
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import type { Config } from "../config.js";
import { createServer, type ServerDependencies } from "../server.js";
import { selectTools } from "../tools/index.js";
import { UsageError } from "./args.js";

export interface ToolCall {
  tool: string;
  args: Record<string, unknown>;
}

/**
 * The call's usage errors (arguments that are not a JSON object, a tool these flags do not serve), from the
 * command line and flags alone: the bin checks them before it starts a sandbox.
 */
export function readToolCall(config: Config, tool: string, argsJson: string | undefined): ToolCall {
  const args = parseToolArguments(argsJson);
  const served = selectTools(config).map((candidate) => candidate.name);
  if (!served.includes(tool)) throw new UsageError(`No tool "${tool}" here. Tools: ${served.join(", ")}.`);
  return { tool, args };
}

export async function runToolOnce(
  config: Config,
  dependencies: ServerDependencies,
  { tool, args }: ToolCall,
): Promise<number> {
  const server = createServer(config, dependencies);
  const client = new Client({ name: "exa-webhooks-mcp-call", version: "1" });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  try {
    const result = await client.callTool({ name: tool, arguments: args });
    const content = Array.isArray(result.content) ? result.content : [];
    const text = content
      .map((part) => (part && typeof part === "object" && "text" in part ? String(part.text) : ""))
      .join("\n");
    process.stdout.write(`${text}\n`);
    if (config.sandbox) process.stderr.write(sandboxLifetimeNote());
    return result.isError ? 1 : 0;
  } finally {
    await client.close();
    await server.close();
  }
}

/**
 * The sandbox, its receivers and their ports exist only while `call` runs: a curl or a later check that the
 * text suggests would find nothing. Say so, and name a command whose sandbox stays up.
 */
function sandboxLifetimeNote(): string {
  const path = process.argv[1] ?? "dist/index.js";
  const bin = /\s/.test(path) ? JSON.stringify(path) : path;
  return `exa-webhooks-mcp: this sandbox and its receivers stopped with this call, so the 127.0.0.1 URLs above no longer answer and nothing is retried. To follow up (curl a receiver, check attempts later), keep one running: node ${bin} --sandbox --http (an MCP client at its /mcp URL), or connect a client over stdio with --sandbox.\n`;
}

function parseToolArguments(argsJson: string | undefined): Record<string, unknown> {
  if (argsJson === undefined || argsJson.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(argsJson);
  } catch {
    throw new UsageError(
      `Tool arguments must be a JSON object, e.g. '{"webhookId":"..."}'. Got: ${argsJson.slice(0, 80)}`,
    );
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UsageError("Tool arguments must be a JSON object.");
  }
  return parsed as Record<string, unknown>;
}
