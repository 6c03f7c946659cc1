// The tools/list answer, built once per server and kept small: every tool costs a model context on every
// turn. Same content as the SDK's own listing, minus JSON Schema noise a model never needs.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AnyToolDefinition } from "./index.js";

/** The listing of every tool, computed at build time (scripts/build.mjs); absent when running from source. */
declare const __TOOL_LISTING__: Tool[] | undefined;

export function listTools(tools: readonly AnyToolDefinition[]): Tool[] {
  // Converting eleven zod schemas to JSON Schema is ~7 ms of a ~100 ms start: the bundle ships the result.
  const prebuilt =
    typeof __TOOL_LISTING__ === "undefined" ? undefined : new Map(__TOOL_LISTING__.map((tool) => [tool.name, tool]));
  return tools.map((tool) => prebuilt?.get(tool.name) ?? describeTool(tool));
}

export function describeTool(tool: AnyToolDefinition): Tool {
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: compactJsonSchema(tool.inputSchema, "input") as Tool["inputSchema"],
    outputSchema: compactJsonSchema(tool.outputSchema, "output") as Tool["outputSchema"],
    annotations: tool.annotations,
  };
}

/**
 * JSON Schema from zod without `$schema`, without `propertyNames: {type: string}` (implied by JSON) and, for
 * outputs, without `additionalProperties`, `required` and descriptions (they constrain a writer; a reader of
 * structuredContent gains little from them and pays for them on every turn: the tool text explains the data).
 * Inputs keep `additionalProperties: false`: it tells a model unknown fields are refused.
 */
export function compactJsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  delete json.$schema;
  return prune(json, io === "output") as Record<string, unknown>;
}

function prune(node: unknown, isOutput: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => prune(item, isOutput));
  if (!node || typeof node !== "object") return node;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "propertyNames" && isPlainStringSchema(value)) continue;
    if (isOutput && key === "additionalProperties" && value === false) continue;
    if (isOutput && (key === "required" || key === "description")) continue;
    if (isOutput && key === "additionalProperties" && value && typeof value === "object") continue;
    result[key] = prune(value, isOutput);
  }
  return result;
}

function isPlainStringSchema(value: unknown): boolean {
  return (
    !!value &&
    typeof value === "object" &&
    Object.keys(value).length === 1 &&
    (value as { type?: unknown }).type === "string"
  );
}
