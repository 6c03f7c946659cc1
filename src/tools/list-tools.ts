// The schemas each tool is registered with: the SDK validates calls and results with them and lists their JSON
// Schema in tools/list. The JSON Schema is converted from zod once per process (the HTTP entry builds a server
// per request) and kept compact: every tool costs a model context on every turn.
import type { StandardSchemaWithJSON } from "@modelcontextprotocol/server";
import { z } from "zod";

type Io = "input" | "output";

const converted: Record<Io, WeakMap<z.ZodType, Record<string, unknown>>> = {
  input: new WeakMap(),
  output: new WeakMap(),
};

/** The JSON Schema a client reads for this zod schema, converted on first use and then shared. */
function toolJsonSchema(schema: z.ZodType, io: Io): Record<string, unknown> {
  let json = converted[io].get(schema);
  if (!json) {
    json = compactJsonSchema(schema, io);
    converted[io].set(schema, json);
  }
  return json;
}

/**
 * A zod schema as the SDK takes it (Standard Schema with JSON Schema): zod validates (a tool's results, before
 * they leave), `describeIssues` writes the message of a failure, and tools/list shows the compact, portable JSON
 * Schema.
 */
export function registeredSchema<S extends z.ZodType>(
  schema: S,
  io: Io,
  describeIssues: (error: z.ZodError) => string = (error) => z.prettifyError(error),
): StandardSchemaWithJSON<z.input<S>, z.output<S>> {
  return standardSchema<z.input<S>, z.output<S>>(schema, io, (value) => {
    const result = schema.safeParse(value);
    return result.success ? { value: result.data } : { issues: [{ message: describeIssues(result.error) }] };
  });
}

/**
 * A tool's input schema as the SDK lists it, while the tool validates its arguments itself (src/server.ts), in
 * one place: the SDK's validation cannot keep our wording. It prefixes every refusal with its own "Input
 * validation error: Invalid arguments for tool X:", has no place for the sandbox marker a sandbox answer starts
 * with, and refuses non-object arguments before any schema runs (src/tools/call-guard.ts answers those). So the
 * SDK gets the arguments as sent, and tools/list still shows the real schema.
 */
export function listedInputSchema<S extends z.ZodType>(schema: S): StandardSchemaWithJSON<unknown, unknown> {
  return standardSchema(schema, "input", (value) => ({ value }));
}

function standardSchema<In, Out>(
  schema: z.ZodType,
  io: Io,
  validate: StandardSchemaWithJSON<In, Out>["~standard"]["validate"],
): StandardSchemaWithJSON<In, Out> {
  const jsonSchema = () => toolJsonSchema(schema, io);
  return {
    "~standard": {
      version: 1,
      vendor: "exa-webhooks-mcp",
      validate,
      jsonSchema: { input: jsonSchema, output: jsonSchema },
    },
  };
}

/**
 * JSON Schema from zod, compact and portable: no `$schema`, no `propertyNames: {type: string}` (implied by JSON),
 * a nullable field as `anyOf` branches with one `type` each (clients that map schemas onto single-type
 * dialects reject type arrays), and a free-form record as `additionalProperties: true` instead of an empty
 * schema. Outputs keep `required` (a client validates results with it) but drop descriptions and
 * `additionalProperties`: the tool text explains the data. Inputs keep `additionalProperties: false`: it tells a
 * model that unknown fields are refused.
 */
function compactJsonSchema(schema: z.ZodType, io: Io): Record<string, unknown> {
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
