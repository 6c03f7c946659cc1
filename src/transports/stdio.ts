// stdio: one connection per process. The SDK's serveStdio pins the connection to the protocol generation its
// first message speaks (`server/discover` for 2026-07-28, `initialize` for 2025 clients) and builds the server
// for it. The streams are parameters so shutdown paths can be tested in-process.
import type { Readable, Writable } from "node:stream";
import { type StdioServerHandle, StdioServerTransport, serveStdio } from "@modelcontextprotocol/server/stdio";
import type { Config } from "../config.js";
import { createServer, type ServerDependencies } from "../server.js";

export interface StdioStreams {
  stdin: Readable;
  stdout: Writable;
  /** Transport errors (a malformed line, a broken pipe), one line each. */
  onerror?: (error: Error) => void;
}

export function serveStdioConnection(
  config: Config,
  dependencies: ServerDependencies,
  streams: StdioStreams = { stdin: process.stdin, stdout: process.stdout },
): StdioServerHandle {
  return serveStdio(({ era }) => createServer(config, dependencies, { era }), {
    transport: new StdioServerTransport(streams.stdin, streams.stdout),
    ...(streams.onerror ? { onerror: streams.onerror } : {}),
  });
}
