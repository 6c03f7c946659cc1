// tools/call requests the SDK would refuse or alter before any tool sees them: `arguments` that is no JSON
// object (the SDK answers with a JSON-RPC error holding a raw zod dump) or that holds a "__proto__" key (its
// request schema drops the key without a word). Such a call is answered here, between the transport and the
// protocol, with the tool error every other bad input gets. Only the Transport interface is assumed.
import {
  type CallToolResult,
  type JSONRPCMessage,
  PROTOCOL_VERSION_META_KEY,
  type Transport,
  type TransportSendOptions,
} from "@modelcontextprotocol/server";

/** The tool error for a call to `tool` with these arguments, or undefined to let the call through. */
type ArgumentsRefusal = (tool: string, args: unknown) => CallToolResult | undefined;

/** `inner`, with the tools/call requests described above answered by `refuse` instead of reaching the server. */
export function guardToolCalls(inner: Transport, refuse: ArgumentsRefusal): Transport {
  const guarded: Transport = {
    async start() {
      // Handlers set on `inner` before connecting (the bin's close/error handling) keep running.
      const { onclose, onerror } = inner;
      inner.onclose = () => {
        onclose?.();
        guarded.onclose?.();
      };
      inner.onerror = (error) => {
        onerror?.(error);
        guarded.onerror?.(error);
      };
      inner.onmessage = (message, extra) => {
        const refusal = refusalFor(message, refuse);
        if (!refusal) return guarded.onmessage?.(message, extra);
        inner.send(refusal, { relatedRequestId: refusal.id }).catch((error: Error) => guarded.onerror?.(error));
      };
      await inner.start();
    },
    send: (message: JSONRPCMessage, options?: TransportSendOptions) => inner.send(message, options),
    close: () => inner.close(),
    setProtocolVersion: (version: string) => inner.setProtocolVersion?.(version),
    get sessionId() {
      return inner.sessionId;
    },
  };
  return guarded;
}

function refusalFor(message: JSONRPCMessage, refuse: ArgumentsRefusal) {
  if (!("method" in message) || message.method !== "tools/call" || !("id" in message)) return undefined;
  const params = message.params as { name?: unknown; arguments?: unknown } | undefined;
  if (typeof params?.name !== "string" || params.arguments === undefined || isPlainArguments(params.arguments)) {
    return undefined;
  }
  const result = refuse(params.name, params.arguments);
  if (!result) return undefined;
  // A 2026-07-28 request (its envelope names the revision) expects a result that says it is complete.
  const modern = Boolean((params as { _meta?: Record<string, unknown> })._meta?.[PROTOCOL_VERSION_META_KEY]);
  return { jsonrpc: "2.0" as const, id: message.id, result: modern ? { ...result, resultType: "complete" } : result };
}

function isPlainArguments(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !Object.hasOwn(value, "__proto__");
}
