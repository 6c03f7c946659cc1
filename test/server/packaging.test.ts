// Packaging facts a user relies on: smithery.yaml runs the image built out of a clean clone, whose command
// serves the bin that package.json declares over HTTP with each caller's key; server.json (the MCP Registry entry) names this package at its version.
import { readFileSync } from "node:fs";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../src/sandbox/emulator.js";
import { SERVER_INFO } from "../../src/server.js";
import { connectClient, startBin } from "../helpers/harness.js";

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

/** The image's command: Dockerfile's ENTRYPOINT then CMD, both exec-form JSON arrays. */
function imageCommand(dockerfile: string): string[] {
  const exec = (instruction: string) =>
    JSON.parse(new RegExp(`^${instruction} (\\[.*\\])$`, "m").exec(dockerfile)?.[1] ?? "[]");
  return [...exec("ENTRYPOINT"), ...exec("CMD")];
}

describe("smithery.yaml", () => {
  const dockerfile = read("Dockerfile");

  it("is a container runtime serving HTTP, built from the Dockerfile, the key sent as X-Exa-Api-Key", () => {
    expect(smithery).toMatch(/^runtime: "container"$/m);
    expect(smithery).toMatch(/build:\n\s+dockerfile: "Dockerfile"\n\s+dockerBuildPath: "\."/);
    expect(smithery).toMatch(/startCommand:\n\s+type: "http"/);
    expect(smithery).toMatch(
      /exaApiKey:[\s\S]*x-from:\n\s+header: "x-exa-api-key"\n\s+x-to:\n\s+header: "x-exa-api-key"/,
    );
    expect(smithery).toContain("exampleConfig:");
    // Smithery runs the image as is: it must serve HTTP on PORT, on every interface.
    const command = imageCommand(dockerfile);
    expect(command.slice(0, 2)).toEqual(["node", packageJson.bin["exa-webhooks-mcp"]]);
    expect(command).toEqual(expect.arrayContaining(["--http", "--host", "0.0.0.0"]));
    expect(command).not.toContain("--port");
  });

  it("works from a clean clone: the image installs and builds before the command runs", () => {
    const install = dockerfile.indexOf("RUN npm ci");
    const build = dockerfile.indexOf("RUN npm run build");
    expect(install).toBeGreaterThan(0);
    expect(build).toBeGreaterThan(install);
    expect(dockerfile.indexOf("COPY . .")).toBeLessThan(build);
    expect(read(".dockerignore")).toContain("dist");
  });

  it("the image's command serves /mcp on PORT, each request with the caller's key (in the repository root)", async () => {
    const emulator = await startEmulator();
    emulator.store.createWebhook({ url: "https://example.com/s", events: ["webset.idle"], id: "webhook_smithery" });
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const [command, ...args] = imageCommand(dockerfile);
    const image = startBin({
      command: command === "node" ? process.execPath : (command as string),
      args,
      env: { PORT: String(port), EXA_BASE_URL: emulator.baseUrl },
      cwd: root.pathname,
    });
    try {
      await image;
      const session = await connectClient({
        transport: {
          kind: "http",
          url: `http://127.0.0.1:${port}/mcp`,
          headers: { "x-exa-api-key": "smithery-user-key" },
        },
      });
      try {
        expect((await session.client.listTools()).tools.map((tool) => tool.name)).toContain("diagnose_failures");
        const answer = await session.call("get_webhook", { webhookId: "webhook_smithery" });
        expect(answer.isError).toBe(false);
        expect(emulator.requests.at(-1)?.apiKey).toBe(true);
      } finally {
        await session.close();
      }
    } finally {
      await image.then(
        (running) => running.stop(),
        () => {},
      );
      await emulator.close();
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
    expect(
      server.description.length,
      "the Registry's schema refuses a description over 100 characters",
    ).toBeLessThanOrEqual(100);
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
