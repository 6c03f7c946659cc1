// Every tool as tools/list shows it, its JSON Schemas converted from its zod schemas (the one source). Run
// from source (tests), this converts at import. The build runs this module once and bundles its result in its
// place (scripts/tool-listings.mjs), so the bin registers and lists tools without loading a tool module.
import type { ToolListing } from "./define.js";
import { ALL_TOOLS } from "./index.js";
import { toolJsonSchema } from "./list-tools.js";

export const TOOL_LISTINGS: readonly ToolListing[] = ALL_TOOLS.map((tool) => ({
  name: tool.name,
  title: tool.title,
  description: tool.description,
  ...(tool.sandboxOnly ? { sandboxOnly: tool.sandboxOnly } : {}),
  annotations: tool.annotations,
  ...(tool._meta ? { _meta: tool._meta } : {}),
  inputSchema: toolJsonSchema(tool.inputSchema, "input"),
  outputSchema: toolJsonSchema(tool.outputSchema, "output"),
}));
