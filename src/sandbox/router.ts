// Maps a raw request path to a route handler. Matching works on the still-encoded segments, so an id
// holding an encoded "/" (or "..") stays one segment and can only ever miss as an unknown id.

import { listAttempts } from "./routes/attempts.js";
import { getEvent, listEvents } from "./routes/events.js";
import type { RouteHandler } from "./routes/types.js";
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, updateWebhook } from "./routes/webhooks.js";

const PREFIX = "/websets";

interface RouteDef {
  method: string;
  /** Segments after /v0; ":id" captures one. */
  pattern: readonly string[];
  handler: RouteHandler;
}

const ROUTES: readonly RouteDef[] = [
  { method: "POST", pattern: ["webhooks"], handler: createWebhook },
  { method: "GET", pattern: ["webhooks"], handler: listWebhooks },
  { method: "GET", pattern: ["webhooks", ":id"], handler: getWebhook },
  { method: "PATCH", pattern: ["webhooks", ":id"], handler: updateWebhook },
  { method: "DELETE", pattern: ["webhooks", ":id"], handler: deleteWebhook },
  { method: "GET", pattern: ["webhooks", ":id", "attempts"], handler: listAttempts },
  { method: "GET", pattern: ["events"], handler: listEvents },
  { method: "GET", pattern: ["events", ":id"], handler: getEvent },
];

export interface RouteMatch {
  handler: RouteHandler;
  id: string;
}

/** The path as Exa reports it in error bodies: without the `/websets` prefix. */
export function apiPathOf(rawPath: string): string {
  return rawPath.startsWith(`${PREFIX}/`) ? rawPath.slice(PREFIX.length) : rawPath;
}

export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  if (!rawPath.startsWith(`${PREFIX}/v0/`)) return undefined;
  const segments = rawPath.slice(`${PREFIX}/v0/`.length).split("/");
  if (segments.length > 1 && segments[segments.length - 1] === "") segments.pop(); // tolerate one trailing slash
  for (const route of ROUTES) {
    if (route.method !== method || route.pattern.length !== segments.length) continue;
    let id = "";
    const matches = route.pattern.every((part, i) => {
      const segment = segments[i] as string;
      if (part !== ":id") return part === segment;
      id = decodeSegment(segment);
      return true;
    });
    if (matches) return { handler: route.handler, id };
  }
  return undefined;
}

// An undecodable segment is kept raw: it then matches no stored id and yields the resource's 404.
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
