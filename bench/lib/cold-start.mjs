// Cold start of a stdio MCP server: spawn → initialize → tools/list answered, over raw JSON-RPC so no
// client library's own start-up cost is counted. Also keeps the tools/list result, the server's CPU time and the
// peak memory.
import { spawn } from "node:child_process";
import { cpuMs, lastLines, peakRssMb, stop } from "./proc.mjs";

const PROTOCOL_VERSION = "2025-06-18";

/** One cold start with the given Node binary; rejects if the server exits or does not answer within timeoutMs. */
export async function coldStart({ bin, node = process.execPath, args = [], env = {}, timeoutMs = 20_000 }) {
  const started = performance.now();
  const child = spawn(node, [bin, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const rpc = jsonRpcOver(child, timeoutMs);
  try {
    rpc.send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "cold-start", version: "1" } },
    });
    await rpc.response(1);
    rpc.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    rpc.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    const list = await rpc.response(2);
    const ms = performance.now() - started;
    return {
      ms,
      /** The server's own CPU time until then (all threads): steadier than `ms` when the machine is busy. */
      cpuMs: cpuMs(child.pid),
      peakRssMb: peakRssMb(child.pid),
      toolCount: list.result.tools.length,
      toolsListBytes: Buffer.byteLength(JSON.stringify(list.result)),
    };
  } finally {
    rpc.dispose();
    await stop(child);
  }
}

/** The floor under every start: spawn → exit of `node -e 0`, with the same environment as coldStart. */
export function nodeStart({ node = process.execPath } = {}) {
  const started = performance.now();
  const child = spawn(node, ["-e", "0"], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    stdio: "ignore",
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve({ ms: performance.now() - started }) : reject(new Error(`node -e 0 exited ${code}`)),
    );
  });
}

function jsonRpcOver(child, timeoutMs) {
  const answers = new Map();
  const waiters = new Map();
  let buffered = "";
  let stderr = "";
  let failure;
  const fail = (error) => {
    failure ??= error;
    for (const waiter of waiters.values()) waiter.reject(failure);
    waiters.clear();
  };
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  child.stdout.on("data", (chunk) => {
    buffered += chunk;
    let newline = buffered.indexOf("\n");
    while (newline !== -1) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf("\n");
      if (!line) continue;
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        fail(new Error(`non-JSON on stdout: ${line.slice(0, 120)}`));
        return;
      }
      if (message.id === undefined) continue;
      answers.set(message.id, message);
      waiters.get(message.id)?.resolve(message);
    }
  });
  child.on("error", fail);
  child.on("exit", (code, signal) =>
    fail(new Error(`exited (${signal ?? code}) before answering: ${lastLines(stderr)}`)),
  );
  const timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms: ${lastLines(stderr)}`)), timeoutMs);
  return {
    send: (message) => child.stdin.write(`${JSON.stringify(message)}\n`),
    response: (id) =>
      new Promise((resolve, reject) => {
        const answer = answers.get(id);
        if (answer) return answer.error ? reject(new Error(answer.error.message)) : resolve(answer);
        if (failure) return reject(failure);
        waiters.set(id, {
          resolve: (message) => (message.error ? reject(new Error(message.error.message)) : resolve(message)),
          reject,
        });
      }),
    dispose: () => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
    },
  };
}
