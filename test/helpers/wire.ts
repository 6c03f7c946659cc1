// What a client's transport receives, recorded before the SDK dispatches it: the server's own order, which the
// SDK's handlers do not keep (a notification is dispatched a microtask after a response read with it).
import type { Client } from "@modelcontextprotocol/client";

export interface WireMessage {
  id?: number | string;
  method?: string;
  params?: { progress?: number; message?: string };
  result?: { structuredContent?: Record<string, unknown> };
}

/** Every message from now on, with the time it arrived (performance.now()). */
export function recordInbound(client: Client): { at: number; message: WireMessage }[] {
  const seen: { at: number; message: WireMessage }[] = [];
  const transport = client.transport;
  if (!transport) throw new Error("the client is not connected");
  const dispatch = transport.onmessage;
  transport.onmessage = (message, extra) => {
    seen.push({ at: performance.now(), message: message as WireMessage });
    dispatch?.(message, extra);
  };
  return seen;
}
