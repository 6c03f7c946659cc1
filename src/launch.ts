// How this process was started, for guidance that names the user's own setup: a Claude Desktop extension
// (MCPB: manifest.json's mcp_config sets EXA_WEBHOOKS_MCP_BUNDLE=mcpb), npx, or node with a path to the bin.
import { realpathSync } from "node:fs";

export type Launch = { kind: "mcpb" } | { kind: "npx" } | { kind: "node"; binPath: string };

/** The variable manifest.json sets for the server it starts; nothing else sets it. */
export const BUNDLE_ENV = "EXA_WEBHOOKS_MCP_BUNDLE";

export function launchOf(env: NodeJS.ProcessEnv, scriptPath: string | undefined): Launch {
  if (env[BUNDLE_ENV] === "mcpb") return { kind: "mcpb" };
  if (scriptPath === undefined) return { kind: "npx" };
  const binPath = realPath(scriptPath);
  // npx runs the package from a cache folder that can be cleared: its path is no command to keep.
  return /[/\\]_npx[/\\]/.test(binPath) ? { kind: "npx" } : { kind: "node", binPath };
}

/** This process's launch. */
export function currentLaunch(): Launch {
  return launchOf(process.env, process.argv[1]);
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
