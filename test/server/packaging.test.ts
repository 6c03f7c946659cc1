// Packaging facts a user relies on: smithery.yaml starts the bin that package.json declares, from an image
// built out of a clean clone; server.json (the MCP Registry entry) names this package at its version.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { describe, expect, it } from "vitest";
import { SERVER_INFO } from "../../src/server.js";

const root = new URL("../../", import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), "utf8");
const packageJson = JSON.parse(read("package.json")) as {
  name: string;
  version: string;
  mcpName: string;
  bin: Record<string, string>;
  files: string[];
};
const smithery = read("smithery.yaml");

type CommandFunction = (config: Record<string, unknown>) => {
  command: string;
  args: string[];
  env: Record<string, string>;
};

function smitheryCommand(): CommandFunction {
  const body = /commandFunction: \|-\n([\s\S]*?)\n {2}exampleConfig/.exec(smithery)?.[1];
  expect(body).toBeDefined();
  // Evaluated the way Smithery does: the string is a JavaScript function of the validated config.
  return new Function(`return ${body}`)() as CommandFunction;
}

describe("smithery.yaml", () => {
  it("is a stdio startCommand with exaApiKey mapped to EXA_API_KEY, built from the Dockerfile", () => {
    expect(smithery).toMatch(/startCommand:\n\s+type: stdio/);
    expect(smithery).toMatch(/build:\n\s+dockerfile: Dockerfile/);
    expect(smithery).toContain("exaApiKey:");
    const started = smitheryCommand()({ exaApiKey: "k", sandbox: false });
    expect(started.command).toBe("node");
    expect(started.args[0]).toBe(packageJson.bin["exa-webhooks-mcp"]);
    expect(started.env).toEqual({ EXA_API_KEY: "k" });
    expect(smitheryCommand()({ sandbox: true, readOnly: true }).args).toEqual([
      packageJson.bin["exa-webhooks-mcp"],
      "--sandbox",
      "--read-only",
    ]);
  });

  it("works from a clean clone: the image installs and builds before the command runs", () => {
    const dockerfile = read("Dockerfile");
    const install = dockerfile.indexOf("RUN npm ci");
    const build = dockerfile.indexOf("RUN npm run build");
    expect(install).toBeGreaterThan(0);
    expect(build).toBeGreaterThan(install);
    expect(dockerfile.indexOf("COPY . .")).toBeLessThan(build);
    expect(read(".dockerignore")).toContain("dist");
  });

  it("its command starts the built server (in the image's working directory, the repository root)", async () => {
    const { command, args, env } = smitheryCommand()({ sandbox: true });
    const client = new Client({ name: "smithery-test", version: "1" });
    await client.connect(
      new StdioClientTransport({
        command: command === "node" ? process.execPath : command,
        args,
        env: { PATH: process.env.PATH ?? "", ...env },
        cwd: root.pathname,
        stderr: "ignore",
      }),
    );
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain("sandbox_emit_event");
    } finally {
      await client.close();
    }
  });
});

describe("server.json (MCP Registry, schema 2025-12-11)", () => {
  const server = JSON.parse(read("server.json")) as {
    $schema: string;
    name: string;
    title: string;
    description: string;
    version: string;
    packages: {
      registryType: string;
      identifier: string;
      version: string;
      transport: { type: string };
      environmentVariables: { name: string; isSecret?: boolean; isRequired?: boolean }[];
    }[];
  };

  it("is the npm package at package.json's version, over stdio, under package.json's mcpName", () => {
    expect(server.$schema).toBe("https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json");
    expect(server.name).toBe(packageJson.mcpName);
    expect(server.name).toMatch(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    expect(server.version, "server.json's version must follow package.json's").toBe(packageJson.version);
    expect(server.packages).toEqual([
      expect.objectContaining({
        registryType: "npm",
        identifier: packageJson.name,
        version: packageJson.version,
        transport: { type: "stdio" },
      }),
    ]);
    expect(server.description.length).toBeLessThanOrEqual(100);
    expect(server.title).toBe(SERVER_INFO.title);
  });

  it("declares the API key as an optional secret", () => {
    expect(server.packages[0]?.environmentVariables).toEqual([
      expect.objectContaining({ name: "EXA_API_KEY", isSecret: true, isRequired: false }),
    ]);
  });

  it("the published files are the built bin and its chunks", () => {
    expect(packageJson.files).toEqual(["dist"]);
    expect(packageJson.bin["exa-webhooks-mcp"]).toBe("dist/index.js");
  });
});

describe("README", () => {
  const readme = read("README.md");

  it("links only files a clone has", () => {
    expect(readme).not.toContain("../shared");
    const linked = [...readme.matchAll(/\]\((?!https?:|#)([^)\s]+)\)/g)].map((match) => match[1] ?? "");
    for (const file of linked) expect(() => read(file), file).not.toThrow();
  });

  it("gives the from-source setup that works now, and keeps npx for once the package is published", () => {
    const published = readme.indexOf("### Once published");
    expect(published).toBeGreaterThan(0);
    const fromSource = readme.slice(0, published);
    expect(fromSource).toContain('"command": "node"');
    expect(fromSource).toContain('"args": ["/abs/path/exa-webhooks-mcp/dist/index.js"]');
    expect(fromSource).not.toMatch(/npx -y exa-webhooks-mcp|"command": "npx"/);
    expect(readme.slice(published)).toContain('"args": ["-y", "exa-webhooks-mcp"]');
  });
});
