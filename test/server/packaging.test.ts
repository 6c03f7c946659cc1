// Packaging facts a user relies on: smithery.yaml runs the same bin that package.json declares.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);
const packageJson = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { bin: Record<string, string> };
const smithery = readFileSync(new URL("smithery.yaml", root), "utf8");

describe("smithery.yaml", () => {
  it("uses the classic stdio startCommand with exaApiKey mapped to EXA_API_KEY", () => {
    expect(smithery).toMatch(/startCommand:\n\s+type: stdio/);
    expect(smithery).toMatch(/configSchema:/);
    expect(smithery).toContain("exaApiKey:");
    expect(smithery).toContain("EXA_API_KEY: config.exaApiKey");
  });

  it("runs the package's bin", () => {
    const body = /commandFunction: \|-\n([\s\S]*?)\n {2}exampleConfig/.exec(smithery)?.[1];
    expect(body).toBeDefined();
    // Evaluate the function as Smithery does and compare its command with package.json's bin.
    const commandFunction = new Function(`return ${body}`)() as (config: Record<string, unknown>) => {
      command: string;
      args: string[];
      env: Record<string, string>;
    };
    const started = commandFunction({ exaApiKey: "k", sandbox: false });
    expect(started.command).toBe("node");
    expect(started.args[0]).toBe(packageJson.bin["exa-webhooks-mcp"]);
    expect(started.env).toEqual({ EXA_API_KEY: "k" });
    expect(commandFunction({ sandbox: true }).args).toContain("--sandbox");
  });
});
