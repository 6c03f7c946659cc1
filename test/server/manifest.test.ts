// manifest.json, the MCP Bundle (Claude Desktop one-click) description: it must start the real bin the way
// the host will, map the key without leaking a placeholder, and list exactly the tools and prompts the server
// serves. With @anthropic-ai/mcpb installed, mcpb's own schema and variable substitution check it too.
import { readFileSync } from "node:fs";
import { ALL_TOOLS } from "../../src/tools/index.js";
import { builtServerTest, describe, expect } from "../helpers/fixtures.js";
import { connectClient } from "../helpers/harness.js";

/** One built bin over stdio for the file's tests that compare the manifest with what it serves. */
const it = builtServerTest();

interface McpConfig {
  command: string;
  args: string[];
  env: Record<string, string>;
}

interface Manifest {
  manifest_version: string;
  name: string;
  version: string;
  server: { type: string; entry_point: string; mcp_config: McpConfig };
  user_config: Record<string, { type: string; sensitive?: boolean; required?: boolean; default?: unknown }>;
  tools: { name: string; description: string }[];
  prompts: { name: string; description: string; arguments: string[]; text: string }[];
}

/** The slice of @anthropic-ai/mcpb this test uses (the package is optional, so it is typed here). */
interface McpbModule {
  MANIFEST_SCHEMAS: Record<string, { safeParse(data: unknown): { success: boolean; error?: unknown } }>;
  getMcpConfigForManifest(options: {
    manifest: unknown;
    extensionPath: string;
    systemDirs: Record<string, string>;
    userConfig: Record<string, unknown>;
    pathSeparator: string;
  }): Promise<McpConfig | undefined>;
}

const ROOT = new URL("../../", import.meta.url);
const ROOT_PATH = ROOT.pathname.replace(/\/$/, "");
const manifest = JSON.parse(readFileSync(new URL("manifest.json", ROOT), "utf8")) as Manifest;
const packageJson = JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")) as {
  name: string;
  version: string;
  bin: Record<string, string>;
};
const OUT_OF_DATE = "manifest.json is out of date with the server: run `node scripts/mcpb.mjs --sync`";

const mcpb = await import("@anthropic-ai/mcpb/node" as string).then(
  (module) => module as McpbModule,
  () => undefined,
);

/** What the host does to mcp_config before it spawns: ${__dirname} and ${user_config.*} (defaults when unset). */
function substitute(config: McpConfig, extensionPath: string, userConfig: Record<string, string> = {}): McpConfig {
  const values: Record<string, string> = { __dirname: extensionPath };
  for (const [key, option] of Object.entries(manifest.user_config))
    values[`user_config.${key}`] = userConfig[key] ?? String(option.default ?? "");
  const replace = (text: string) => text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => values[name] ?? whole);
  return {
    command: config.command,
    args: config.args.map(replace),
    env: Object.fromEntries(Object.entries(config.env).map(([key, value]) => [key, replace(value)])),
  };
}

describe("manifest.json", () => {
  it("describes this package and runs its bin with node", () => {
    expect(manifest.manifest_version).toBe("0.3");
    expect(manifest.name).toBe(packageJson.name);
    expect(manifest.version, OUT_OF_DATE).toBe(packageJson.version);
    const bin = packageJson.bin["exa-webhooks-mcp"];
    expect(manifest.server.type).toBe("node");
    expect(manifest.server.entry_point).toBe(bin);
    expect(manifest.server.mcp_config.command).toBe("node");
    expect(manifest.server.mcp_config.args).toEqual([`\${__dirname}/${bin}`]);
  });

  it("takes the API key as an optional secret whose unset value reaches the server as empty", () => {
    expect(manifest.user_config.exa_api_key).toMatchObject({ type: "string", sensitive: true, required: false });
    expect(manifest.server.mcp_config.env).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: mcpb's placeholder syntax, not a JS template
      EXA_API_KEY: "${user_config.exa_api_key}",
      EXA_WEBHOOKS_MCP_BUNDLE: "mcpb",
    });
    // Without a default, an unset key would reach the server as the literal "${user_config.exa_api_key}".
    expect(substitute(manifest.server.mcp_config, "/ext").env.EXA_API_KEY).toBe("");
    expect(substitute(manifest.server.mcp_config, "/ext", { exa_api_key: "k" }).env.EXA_API_KEY).toBe("k");
  });
});

describe("manifest.json against the built server", () => {
  it("lists exactly the server's tools, in order, with their descriptions: every tool but the sandbox's", async ({
    server,
  }) => {
    const { tools } = await server.client.listTools();
    expect(manifest.tools, OUT_OF_DATE).toEqual(tools.map(({ name, description }) => ({ name, description })));
    expect(tools.map((tool) => tool.name)).toEqual(
      ALL_TOOLS.filter((tool) => !tool.sandboxOnly).map((tool) => tool.name),
    );
  });

  it("lists exactly the server's prompts with their argument names", async ({ server }) => {
    const { prompts } = await server.client.listPrompts();
    const declared = manifest.prompts.map(({ name, description, arguments: names }) => ({ name, description, names }));
    const served = prompts.map(({ name, description, arguments: args }) => ({
      name,
      description,
      names: (args ?? []).map((argument) => argument.name),
    }));
    expect(declared, OUT_OF_DATE).toEqual(served);
    for (const prompt of manifest.prompts)
      for (const name of prompt.arguments) expect(prompt.text).toContain(`\${arguments.${name}}`);
  });
});

describe("the command the host builds from mcp_config", () => {
  it("starts the server without a key: tools listed, and the key guidance in every Exa tool", async () => {
    const config = substitute(manifest.server.mcp_config, ROOT_PATH);
    const hosted = await connectClient({
      transport: {
        kind: "stdio",
        command: config.command === "node" ? process.execPath : config.command,
        args: config.args,
        env: config.env,
      },
    });
    try {
      const { tools } = await hosted.client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(manifest.tools.map((tool) => tool.name));
      const answer = await hosted.call("list_webhooks");
      expect(answer.isError).toBe(true);
      expect(JSON.stringify(answer.raw.content)).toContain("EXA_API_KEY is not set");
    } finally {
      await hosted.close();
    }
  });
});

describe.runIf(mcpb)("with @anthropic-ai/mcpb", () => {
  it("passes mcpb's strict schema for its manifest_version", () => {
    const schema = mcpb?.MANIFEST_SCHEMAS[manifest.manifest_version];
    expect(schema, `mcpb has no schema for ${manifest.manifest_version}`).toBeDefined();
    const result = schema?.safeParse(manifest);
    expect(result?.error).toBeUndefined();
    expect(result?.success).toBe(true);
  });

  it("resolves mcp_config the way the host does", async () => {
    const resolved = await mcpb?.getMcpConfigForManifest({
      manifest,
      extensionPath: "/ext",
      systemDirs: { HOME: "/home/u", DESKTOP: "/home/u/Desktop", DOCUMENTS: "/home/u/Documents" },
      userConfig: {},
      pathSeparator: "/",
    });
    expect(resolved?.args).toEqual(substitute(manifest.server.mcp_config, "/ext").args);
    expect(resolved?.env).toEqual({ EXA_API_KEY: "", EXA_WEBHOOKS_MCP_BUNDLE: "mcpb" });
  });
});
