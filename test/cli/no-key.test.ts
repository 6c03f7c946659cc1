// The no-key guidance names the user's own setup. Through the built bin: run by path, it prints the real path
// of the running bin (before: "node /abs/path/dist/index.js (the command it runs now)"); started the way the
// MCPB host starts it (manifest.json's mcp_config), it points at the extension's settings instead.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN_PATH, runBin } from "../helpers/harness.js";

const manifest = JSON.parse(readFileSync(new URL("../../manifest.json", import.meta.url), "utf8"));
const scratch = mkdtempSync(join(tmpdir(), "no-key-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("EXA_API_KEY is not set", () => {
  it("run by a path, the Claude Code line carries the real path of the running bin", () => {
    // A symlinked bin, as npm's .bin links are: the command to keep is the file it points at.
    const link = join(scratch, "exa-webhooks-mcp");
    symlinkSync(BIN_PATH, link);
    const run = spawnSync(process.execPath, [link, "call", "list_webhooks"], {
      env: { PATH: process.env.PATH ?? "", XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    const real = realpathSync(BIN_PATH);
    expect(run.stdout).toContain(`claude mcp add exa-webhooks -e EXA_API_KEY=your-key -- node ${real}\n`);
    expect(run.stdout).not.toContain("/abs/path");
    expect(run.stdout).toContain("start the server with --sandbox");
  });

  it("started as the MCPB extension (mcp_config's env), it points at the extension's settings", () => {
    const env = { ...manifest.server.mcp_config.env, EXA_API_KEY: "" };
    const run = runBin(["call", "list_webhooks"], env);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("EXA_API_KEY is not set");
    // The names the user sees in Claude Desktop come from manifest.json: the text must use the same ones.
    expect(run.stdout).toContain(
      `Settings > Extensions > ${manifest.display_name} > Configure, paste it into "${manifest.user_config.exa_api_key.title}"`,
    );
    expect(run.stdout).not.toContain("claude mcp add");
    expect(run.stdout).not.toContain("--sandbox");
  });
});
