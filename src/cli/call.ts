// `exa-webhooks-mcp call <tool> [json]`: one tool call through a real MCP client, its text on stdout.
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import type { Config } from "../config.js";
import { createServer, type ServerDependencies } from "../server.js";
import { UsageError } from "./args.js";

export async function runToolOnce(
  config: Config,
  dependencies: ServerDependencies,
  tool: string,
  argsJson: string | undefined,
): Promise<number> {
  const args = parseToolArguments(argsJson);
  const server = createServer(config, dependencies);
  const client = new Client({ name: "exa-webhooks-mcp-call", version: "1" });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  try {
    const { tools } = await client.listTools();
    if (!tools.some((candidate) => candidate.name === tool)) {
      throw new UsageError(`No tool "${tool}" here. Tools: ${tools.map((candidate) => candidate.name).join(", ")}.`);
    }
    const result = await client.callTool({ name: tool, arguments: args });
    const content = Array.isArray(result.content) ? result.content : [];
    const text = content
      .map((part) => (part && typeof part === "object" && "text" in part ? String(part.text) : ""))
      .join("\n");
    process.stdout.write(`${text}\n`);
    return result.isError ? 1 : 0;
  } finally {
    await client.close();
    await server.close();
  }
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
