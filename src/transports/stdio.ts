// stdio: one connection per process. The SDK's serveStdio pins the connection to the protocol generation its
// first message speaks (`server/discover` for 2026-07-28, `initialize` for 2025 clients) and builds the server
// for it. The streams are parameters so shutdown paths can be tested in-process; the bin learns of transport
// errors and of the transport closing through `onerror` and `onclose`.
import type { Readable, Writable } from "node:stream";
import type { Transport } from "@modelcontextprotocol/server";
import { type StdioServerHandle, StdioServerTransport, serveStdio } from "@modelcontextprotocol/server/stdio";
import type { Config } from "../config.js";
import { createServer, type ServerDependencies } from "../server.js";

export interface StdioStreams {
  stdin: Readable;
  stdout: Writable;
  /** A transport error: an unreadable message (skipped), or one the transport gives up on (then it closes). */
  onerror?: (error: Error) => void;
  /** The transport closed: stdin ended, stdout broke, or a line was over the transport's buffer. */
  onclose?: () => void;
}

export function serveStdioConnection(
  config: Config,
  dependencies: ServerDependencies,
  streams: StdioStreams = { stdin: process.stdin, stdout: process.stdout },
): StdioServerHandle {
  const wire = new StdioServerTransport(streams.stdin, streams.stdout);
  return serveStdio(({ era }) => createServer(config, dependencies, { era }), {
    transport: streams.onclose ? reportingClose(wire, streams.onclose) : wire,
    ...(streams.onerror ? { onerror: streams.onerror } : {}),
  });
}

/** `inner` as serveStdio drives it, plus `onclose` called after the entry's own close handling. */
function reportingClose(inner: Transport, onclose: () => void): Transport {
  const outer: Transport = {
    async start() {
      inner.onmessage = (message, extra) => outer.onmessage?.(message, extra);
      inner.onerror = (error) => outer.onerror?.(error);
      inner.onclose = () => {
        outer.onclose?.();
        onclose();
      };
      await inner.start();
    },
    send: (message, options) => inner.send(message, options),
    close: () => inner.close(),
    setProtocolVersion: (version) => inner.setProtocolVersion?.(version),
  };
  return outer;
}
