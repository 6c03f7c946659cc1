// The JSON Schema tools/list shows for a tool's zod schemas, kept compact: every tool costs a model context on
// every turn. The build (scripts/tool-listings.mjs) runs this conversion once per tool, so the bin lists
// tools without building a zod schema; run from source (tests) it runs on first use.
import { z } from "zod";

type Io = "input" | "output";

/**
 * JSON Schema from zod, compact and portable: no `$schema`, no `propertyNames: {type: string}` (implied by JSON),
 * a nullable field as `anyOf` branches with one `type` each (clients that map schemas onto single-type
 * dialects reject type arrays), and a free-form record as `additionalProperties: true` instead of an empty
 * schema. Outputs keep `required` (a client validates results with it) but drop descriptions and
 * `additionalProperties`: the tool text explains the data. Inputs keep `additionalProperties: false`: it tells a
 * model that unknown fields are refused.
 */
export function toolJsonSchema(schema: z.ZodType, io: Io): Record<string, unknown> {
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
    if (key === "additionalProperties") {
      if (isOutput && (value === false || (value && typeof value === "object"))) continue;
      if (isEmptySchema(value)) {
        result[key] = true;
        continue;
      }
    }
    if (isOutput && key === "description") continue;
    result[key] = prune(value, isOutput);
  }
  return Array.isArray(result.type) ? splitTypeArray(result) : result;
}

/** `{type: ["string", "null"], ...rest}` → `{anyOf: [{type: "string", ...rest}, {type: "null"}]}`. */
function splitTypeArray(node: Record<string, unknown>): Record<string, unknown> {
  const { type, description, ...rest } = node;
  const branches = (type as string[]).map((one) => (one === "null" ? { type: "null" } : { type: one, ...rest }));
  return { ...(description === undefined ? {} : { description }), anyOf: branches };
}

function isEmptySchema(value: unknown): boolean {
  return !!value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0;
}

function isPlainStringSchema(value: unknown): boolean {
  return (
    !!value &&
    typeof value === "object" &&
    Object.keys(value).length === 1 &&
    (value as { type?: unknown }).type === "string"
  );
}
