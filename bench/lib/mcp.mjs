// The built server as an MCP client sees it: spawned over stdio with a minimal env, like Claude Desktop does.

import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { cpuMs, peakRssMb } from "./proc.mjs";

/**
 * Runs fn with a connected client, then closes the server. fn also gets `peakRssMb()` for the server
 * process: call it before returning, while the process is still alive, and `serverCpuMs()`, its CPU time so far.
 */
export async function withBuiltServer(bin, env, fn) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin],
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
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
