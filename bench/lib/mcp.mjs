// The built server as an MCP client sees it: spawned over stdio with a minimal env, like Claude Desktop does.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { cpuMs, peakRssMb } from "./proc.mjs";

/**
 * Runs fn with a connected client, then closes the server. fn also gets `peakRssMb()` for the server
 * process: call it before returning, while the process is still alive, and `serverCpuMs()`, its CPU time so far.
 * Each server gets its own empty state folder unless env names a store: a bench never writes the user's state
 * file, and every run starts with nothing remembered, as a first diagnosis does.
 */
export async function withBuiltServer(bin, env, fn) {
  const stateHome = mkdtempSync(join(tmpdir(), "bench-state-"));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin],
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", XDG_STATE_HOME: stateHome, ...env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const client = new Client({ name: "exa-webhooks-bench", version: "1.0.0" });
  await client.connect(transport);
  try {
    return await fn({
      client,
      serverPeakRssMb: () => peakRssMb(transport.pid),
      serverCpuMs: () => cpuMs(transport.pid),
      stderr: () => stderr,
    });
  } finally {
    await client.close();
    rmSync(stateHome, { recursive: true, force: true });
  }
}

/** Calls a tool; returns its text, the byte sizes a client receives, and the structured twin. */
export async function callForBench(client, name, args, timeoutMs = 120_000) {
  const result = await client.callTool({ name, arguments: args }, { timeout: timeoutMs });
  const text = result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
  if (result.isError) throw new Error(`${name} failed: ${text}`);
  return {
    text,
    textBytes: Buffer.byteLength(text),
    resultBytes: Buffer.byteLength(JSON.stringify(result)),
    structured: result.structuredContent,
  };
}
