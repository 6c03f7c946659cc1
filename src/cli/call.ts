// `exa-webhooks-mcp call <tool> [json] [--html FILE]`: one tool call through a real MCP client, its text on
// stdout; with --html, the health view with the call's structured result inlined, written to FILE.
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import type { Config } from "../config.js";
import { createServer, type ServerDependencies } from "../server.js";
import { selectTools } from "../tools/catalog.js";
import { type Command, UsageError } from "./args.js";

export interface ToolCall {
  tool: string;
  args: Record<string, unknown>;
  /** Where to write the health view with the result inlined (--html). */
  htmlFile?: string;
}

/**
 * The call's usage errors (arguments that are not a JSON object, a tool these flags do not serve), from the
 * command line and flags alone: the bin checks them before it starts a sandbox.
 */
export function readToolCall(
  config: Config,
  { tool, argsJson, htmlFile }: Extract<Command, { mode: "call" }>,
): ToolCall {
  const args = parseToolArguments(argsJson);
  const served = selectTools(config).map((candidate) => candidate.name);
  if (!served.includes(tool)) throw new UsageError(`No tool "${tool}" here. Tools: ${served.join(", ")}.`);
  return htmlFile === undefined ? { tool, args } : { tool, args, htmlFile: resolve(htmlFile) };
}

export async function runToolOnce(
  config: Config,
  dependencies: ServerDependencies,
  { tool, args, htmlFile }: ToolCall,
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
    if (result.isError) return 1;
    if (htmlFile !== undefined) await writeHealthView(htmlFile, result.structuredContent);
    return 0;
  } finally {
    await client.close();
    await server.close();
  }
}

/** The view, self-contained and offline, with the result it shows; a note on stderr says where it is. */
async function writeHealthView(file: string, structured: unknown): Promise<void> {
  const [{ healthViewHtml }, { standaloneHealthView }] = await Promise.all([
    import("../ui/html.js"),
    import("../ui/standalone.js"),
  ]);
  await writeFile(file, standaloneHealthView(await healthViewHtml(), structured));
  process.stderr.write(`Wrote the delivery health view to ${file}: open it in any browser (it needs no network).\n`);
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
