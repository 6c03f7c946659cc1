// What the server knows of its tools before loading any: the listings (names, annotations, JSON Schemas),
// which tools a configuration offers, and the one way to load a tool's definition when it is first called.

import type { z } from "zod";
import type { Config } from "../config.js";
import type { ToolListing } from "./define.js";
import type { AnyToolDefinition } from "./index.js";
import type { ParsedInput } from "./inputs.js";
import { TOOL_LISTINGS } from "./listings.js";

/** A tool's definition (zod schemas, handler): the registry loads on the first call that needs one. */
export async function loadToolDefinition(name: string): Promise<AnyToolDefinition> {
  const { ALL_TOOLS } = await import("./index.js");
  const tool = ALL_TOOLS.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`No tool named ${name} in the registry`);
  return tool;
}

/** A call's arguments through the tool's input schema, in our words (src/tools/inputs.ts). */
export async function parseToolArguments(name: string, args: unknown): Promise<ParsedInput<z.ZodType>> {
  const [tool, { parseToolInput }] = await Promise.all([loadToolDefinition(name), import("./inputs.js")]);
  return parseToolInput(tool.inputSchema, args);
}

/** Why a tool's result does not match its output schema, or undefined when it does. */
export async function outputProblems(name: string, structured: unknown): Promise<string | undefined> {
  const [tool, { z }] = await Promise.all([loadToolDefinition(name), import("zod")]);
  const result = tool.outputSchema.safeParse(structured);
  return result.success ? undefined : z.prettifyError(result.error);
}

export const TOOL_NAMES: readonly string[] = TOOL_LISTINGS.map((tool) => tool.name);

type Selection = Pick<Config, "readOnly" | "sandbox" | "tools">;

/** The tools this configuration offers: --read-only keeps the read-only ones, sandbox tools need --sandbox, --tools narrows. */
export function selectTools(config: Selection): ToolListing[] {
  return TOOL_LISTINGS.filter(
    (tool) => !excludedByFlags(tool, config) && (config.tools ? config.tools.includes(tool.name) : true),
  );
}

function excludedByFlags(tool: ToolListing, config: Selection): "read-only" | "sandbox" | undefined {
  // Read-only means no state changes anywhere, the sandbox's emitted events included.
  if (config.readOnly && !tool.annotations.readOnlyHint) return "read-only";
  if (tool.sandboxOnly && !config.sandbox) return "sandbox";
  return undefined;
}

/** Why --tools selects nothing with these flags, and what it could select instead; undefined when it selects some. */
export function emptySelectionText(config: Selection): string | undefined {
  if (!config.tools || selectTools(config).length) return undefined;
  const named = TOOL_LISTINGS.filter((tool) => config.tools?.includes(tool.name));
  const names = (reason: "read-only" | "sandbox") =>
    named.filter((tool) => excludedByFlags(tool, config) === reason).map((tool) => tool.name);
  const readOnly = names("read-only");
  const sandbox = names("sandbox");
  const reasons = [
    readOnly.length &&
      `${andList(readOnly)} change${readOnly.length === 1 ? "s" : ""} state, which --read-only excludes`,
    sandbox.length && `${andList(sandbox)} need${sandbox.length === 1 ? "s" : ""} --sandbox`,
  ].filter(Boolean);
  const available = selectTools({ ...config, tools: undefined }).map((tool) => tool.name);
  return `--tools leaves no tool to serve: ${reasons.join("; ")}. Tools available with these flags: ${available.join(", ")}.`;
}

function andList(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : (items[0] ?? "");
}
