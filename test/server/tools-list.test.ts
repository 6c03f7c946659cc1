// What a model sees in tools/list: what every tool must carry (title, strict and described inputs, an output
// schema, annotations) and what it costs. The list itself (names, order, descriptions) is pinned once, by
// manifest.json, which test/server/manifest.test.ts checks against the built server.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ALL_TOOLS } from "../../src/tools/index.js";
import { toolJsonSchema } from "../../src/tools/list-tools.js";
import { describe, expect, sharedHarnessTest } from "../helpers/fixtures.js";
import { BIN_PATH, builtBin, connectClient, startHarness } from "../helpers/harness.js";

const it = sharedHarnessTest()
  /** A second harness for the file, with --sandbox. */
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
  .extend("sandboxHarness", { scope: "file" }, async ({}, { onCleanup }) => {
    const sandbox = await startHarness({ flags: { sandbox: true } });
    onCleanup(() => sandbox.close());
    return sandbox;
  });

interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: unknown;
  items?: JsonSchema;
}

/**
 * Every object with named fields in an input schema refuses others (a typo is an error, not a silently ignored
 * field); a map (metadata) types its values.
 */
function expectStrict(schema: JsonSchema, path: string): void {
  if (schema.type === "object" && schema.properties) expect(schema.additionalProperties, path).toBe(false);
  if (schema.type === "object" && !schema.properties) expect(schema.additionalProperties, path).toMatchObject({});
  for (const [name, property] of Object.entries(schema.properties ?? {})) expectStrict(property, `${path}.${name}`);
  if (schema.items) expectStrict(schema.items, `${path}[]`);
}

describe("tools/list", () => {
  it("gives every tool a distinct snake_case name, a title and a one-paragraph description", async ({
    sandboxHarness: sandbox,
  }) => {
    const { tools } = await sandbox.client.listTools();
    expect(new Set(tools.map((tool) => tool.name)).size).toBe(tools.length);
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[a-z]+(_[a-z]+)+$/);
      expect(tool.title, tool.name).toMatch(/^[A-Z][^\n]+[^.]$/);
      // One paragraph that says when to use the tool: a sentence or more, not a bare label.
      expect(tool.description, tool.name).toMatch(/^[A-Z][^\n]{50,}\.$/);
    }
    expect(new Set(tools.map((tool) => tool.description)).size).toBe(tools.length);
  });

  it("the sandbox adds its two tools after the others and changes none of them", async ({
    sharedHarness: harness,
    sandboxHarness: sandbox,
  }) => {
    const plain = (await harness.client.listTools()).tools;
    const withSandbox = (await sandbox.client.listTools()).tools;
    expect(withSandbox.slice(0, plain.length)).toEqual(plain);
    expect(withSandbox.slice(plain.length).map((tool) => tool.name)).toEqual([
      "sandbox_emit_event",
      "sandbox_set_receiver",
    ]);
  });

  it("every input schema is a strict object whose every field is described (in the field, or by the tool)", async ({
    sandboxHarness: sandbox,
  }) => {
    const { tools } = await sandbox.client.listTools();
    for (const tool of tools) {
      const input = tool.inputSchema as JsonSchema;
      expect(input.type, tool.name).toBe("object");
      expectStrict(input, tool.name);
      for (const [name, property] of Object.entries(input.properties ?? {})) {
        const described = Boolean(property.description) || (tool.description ?? "").includes(name);
        expect(described, `${tool.name}.${name} has no description and the tool's does not name it`).toBe(true);
      }
      for (const name of input.required ?? []) expect(Object.keys(input.properties ?? {}), tool.name).toContain(name);
    }
  });

  it("every output schema is an object with required fields, so a client can validate structuredContent", async ({
    sandboxHarness: sandbox,
  }) => {
    const { tools } = await sandbox.client.listTools();
    for (const tool of tools) {
      const output = tool.outputSchema as JsonSchema | undefined;
      expect(output?.type, tool.name).toBe("object");
      expect(output?.required?.length ?? 0, tool.name).toBeGreaterThan(0);
      for (const name of output?.required ?? [])
        expect(Object.keys(output?.properties ?? {}), tool.name).toContain(name);
    }
  });

  it("sets all four annotations on every tool; delete is destructive; reads are read-only and idempotent", async ({
    sandboxHarness: sandbox,
  }) => {
    const { tools } = await sandbox.client.listTools();
    for (const tool of tools) {
      const annotations = tool.annotations ?? {};
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        expect(typeof annotations[hint], `${tool.name}.${hint}`).toBe("boolean");
      }
      if (annotations.readOnlyHint) expect(annotations.destructiveHint, tool.name).toBe(false);
    }
    const byName = new Map(tools.map((tool) => [tool.name, tool.annotations]));
    expect(byName.get("delete_webhook")?.destructiveHint).toBe(true);
    for (const name of [
      "list_webhooks",
      "get_webhook",
      "list_webhook_attempts",
      "diagnose_failures",
      "list_events",
      "get_event",
    ]) {
      expect(byName.get(name)?.readOnlyHint, name).toBe(true);
      expect(byName.get(name)?.idempotentHint, name).toBe(true);
    }
    for (const name of ["create_webhook", "redeliver_events", "sandbox_emit_event"]) {
      expect(byName.get(name)?.readOnlyHint, name).toBe(false);
      expect(byName.get(name)?.idempotentHint, name).toBe(false);
    }
    // Only Exa is the open world: the offline check and the sandbox's own tools touch nothing outside.
    for (const name of ["verify_webhook_signature", "sandbox_emit_event", "sandbox_set_receiver"]) {
      expect(byName.get(name)?.openWorldHint, name).toBe(false);
    }
  });

  // 12 KB before redeliver_events, which costs ~2 KB (eight inputs, a lean output schema); each tool's title and
  // the required fields of output schemas (a client validates results with them) ~2 KB more; never-attempted ids and the health view (issue 13) ~0.5 KB;
  // forward_events (issue 21) ~1.4 KB; the ledger's redelivery outcomes and force, the diagnosis' recovered,
  // outstanding, history and memory fields, and the fleet's notReached (issues 18, 20, 22) ~0.9 KB.
  it("costs a model under 19.5 KB of context, 21.5 KB with the sandbox's two extra tools", async ({
    sharedHarness: harness,
    sandboxHarness: sandbox,
  }) => {
    const plain = await harness.client.listTools();
    expect(Buffer.byteLength(JSON.stringify(plain))).toBeLessThan(19.5 * 1024);
    const withSandbox = await sandbox.client.listTools();
    expect(Buffer.byteLength(JSON.stringify(withSandbox))).toBeLessThan(21.5 * 1024);
  });
});

// The bin lists tools from JSON Schema converted at build time (scripts/tool-listings.mjs); zod stays the one
// source, and the conversion the server runs from source is the one the build ran.
describe("the built bin's tools/list", () => {
  it("shows, for every tool, exactly the JSON Schemas zod's converter gives at run time", async () => {
    const bin = await connectClient({ transport: { kind: "stdio", ...builtBin(["--sandbox"]) } });
    try {
      const { tools } = await bin.client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(ALL_TOOLS.map((tool) => tool.name));
      for (const tool of ALL_TOOLS) {
        const listed = tools.find((candidate) => candidate.name === tool.name);
        expect(listed?.inputSchema, tool.name).toEqual(toolJsonSchema(tool.inputSchema, "input"));
        expect(listed?.outputSchema, tool.name).toEqual(toolJsonSchema(tool.outputSchema, "output"));
      }
    } finally {
      await bin.close();
    }
  });

  it("loads no tool's zod schemas to serve stdio: they sit in a chunk only a call imports", () => {
    // A message only src/tools/inputs.ts's zod code holds (no JSON Schema shows it).
    const zodOnly = "cursor must not be empty";
    const main = join(dirname(BIN_PATH), "main.js");
    const server = readFileSync(main, "utf8").match(/import\("\.\/(chunks\/stdio-[^"]+)"\)/)?.[1];
    expect(server, "main.js imports the stdio transport on demand").toBeDefined();
    const loaded = staticImports(join(dirname(BIN_PATH), server as string));
    expect(loaded.length).toBeGreaterThan(1);
    for (const file of [main, ...loaded]) expect(readFileSync(file, "utf8"), file).not.toContain(zodOnly);
  });

  it("loads nothing a call or a read needs before tools/list is answered: each loads on its first use", () => {
    // Each is a text only that module holds; none may sit in a chunk the stdio start loads.
    const loadedOnFirstUse = {
      "the Exa client and its response schemas (src/exa/schemas.ts)": "invalid attempt",
      "the error-to-text mapper (src/format/tool-error.ts)": "so this tool cannot reach Exa",
      "the webhook resources' renderer (src/resources/webhooks.ts)": "No delivery attempts recorded yet",
      "the event types and what each means (src/exa/event-types.ts)": "searches and enrichments were paused",
      "the listen command's flag checks (src/cli/listen-args.ts)": "listen needs --forward-to URL",
    };
    const start = stdioStartChunks();
    expect(start.length).toBeGreaterThan(2);
    for (const [module, text] of Object.entries(loadedOnFirstUse)) {
      const holders = start.filter((file) => readFileSync(file, "utf8").includes(text));
      expect(holders, `${module} loads at start`).toEqual([]);
    }
    // An ESM import of a builtin builds a facade of all its exports: node:util's and node:fs's cost a start
    // 5-10 ms each. What the start needs of them comes through process.getBuiltinModule.
    const builtins = new Set(
      start.flatMap((file) =>
        [...readFileSync(file, "utf8").matchAll(/from\s*["'](node:[a-z_/]+)["']/g)].map((m) => m[1]),
      ),
    );
    expect([...builtins].sort()).toEqual(["node:module"]);
    // The markers are real: each sits in some chunk of the bin.
    const chunks = join(dirname(BIN_PATH), "chunks");
    const all = readdirSync(chunks).map((name) => readFileSync(join(chunks, name), "utf8"));
    for (const text of Object.values(loadedOnFirstUse))
      expect(
        all.some((chunk) => chunk.includes(text)),
        text,
      ).toBe(true);
  });
});

/**
 * What `exa-webhooks-mcp` over stdio loads before it answers: dist/main.js with its static imports, then the stdio
 * transport it imports on demand with theirs.
 */
function stdioStartChunks(): string[] {
  const dist = dirname(BIN_PATH);
  const main = join(dist, "main.js");
  const stdio = readFileSync(main, "utf8").match(/import\("\.\/(chunks\/stdio-[^"]+)"\)/)?.[1];
  expect(stdio, "main.js imports the stdio transport on demand").toBeDefined();
  const seen = new Set<string>();
  for (const entry of [main, join(dist, stdio as string)]) staticImports(entry, seen);
  return [...seen];
}

/** `file` and every module it imports statically (an ESM bundle's `import … from "./x.js"`), transitively. */
function staticImports(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [...seen];
  seen.add(file);
  for (const match of readFileSync(file, "utf8").matchAll(
    /(?:^|[;\n}])\s*import\s*(?:[^"'()]*?from\s*)?["'](\.[^"']+)["']/g,
  )) {
    staticImports(join(dirname(file), match[1] as string), seen);
  }
  return [...seen];
}
