// Connections kept open between guarded POSTs (a listener's backfill sends thousands, one after another): one
// keep-alive agent per address the guard checked, so a socket is only ever reused by a POST whose own fresh
// check resolved to that same allowed address. A DNS answer that changes picks another agent, and so a new,
// re-checked connection. The owner closes the set when its run ends.
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { EgressTarget } from "./egress.js";

/**
 * How long an idle kept socket waits for the next POST before it is closed. Well below the idle timeouts
 * servers commonly use (Node's 5 s, nginx's 75 s), so a receiver rarely closes one just as it is reused;
 * Node shortens it further when the receiver announces `Keep-Alive: timeout=…`.
 */
export const KEPT_IDLE_MS = 1_000;
/** Agents remembered at once; a name whose answer keeps changing cannot grow the set without bound. */
const MAX_AGENTS = 16;

export interface KeptConnections {
  /** The agent whose sockets were all opened to `target.address` for this URL's protocol, host and port. */
  agentFor(target: EgressTarget): HttpAgent;
  /** Closes every kept socket; later POSTs open new ones. */
  close(): void;
}

export function keptConnections(): KeptConnections {
  const agents = new Map<string, HttpAgent>();
  return {
    agentFor({ url, address }) {
      // The host name is part of the key too: it is the TLS servername and the Host header a socket was opened for.
      const key = `${url.protocol}//${url.host}|${address.family}|${address.address}`;
      let agent = agents.get(key);
      if (agent) {
        // Most recently used last, so the oldest is the one evicted.
        agents.delete(key);
      } else {
        const options = { keepAlive: true, timeout: KEPT_IDLE_MS, scheduling: "lifo" as const };
        agent = url.protocol === "https:" ? new HttpsAgent(options) : new HttpAgent(options);
        const oldest = agents.size >= MAX_AGENTS ? agents.keys().next().value : undefined;
        if (oldest !== undefined) {
          agents.get(oldest)?.destroy();
          agents.delete(oldest);
        }
      }
      agents.set(key, agent);
      return agent;
    },
    close() {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}
