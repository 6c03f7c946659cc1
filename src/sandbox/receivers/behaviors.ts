// How the demo receivers answer: the common ways real webhook handlers fail, plus a healthy one that
// checks the Exa-Signature for real. Each is a plain node:http handler over the raw body.
import { timingSafeEqual } from "node:crypto";
import { exaSignatureDigest } from "../../signature/sign.js";
import { EXPRESS_ERROR_HEADERS, expressErrorPage, NGINX_503_PAGE, NODE_STACK_TRACE } from "./pages.js";
import { RECEIVER_PATH, type ReceiverBehavior } from "./server.js";

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "x-powered-by": "Express" };
/** The replay window Exa suggests receivers enforce. */
const TOLERANCE_SECONDS = 300;

/**
 * Verifies Exa-Signature against `secrets()` (read per request: a secret exists only once its webhook does;
 * several webhooks may point at one receiver, each with its own secret).
 */
export function signatureCheckingReceiver(secrets: () => readonly string[]): ReceiverBehavior {
  return (request, rawBody, response) => {
    const header = request.headers["exa-signature"];
    const valid = typeof header === "string" && secrets().some((secret) => signatureValid(header, rawBody, secret));
    if (!valid) {
      response.writeHead(401, JSON_HEADERS).end('{"error":"invalid signature"}');
      return;
    }
    response.writeHead(200, JSON_HEADERS).end('{"received":true}');
  };
}

/** An uncaught TypeError in the handler: Express's 500 page with the stack (NODE_ENV is not production). */
export function crashingReceiver(): ReceiverBehavior {
  return (_request, _rawBody, response) => {
    response.writeHead(500, EXPRESS_ERROR_HEADERS).end(expressErrorPage(NODE_STACK_TRACE));
  };
}

/** The handler is mounted at /api/webhooks/exa, but the webhook points at /webhooks/exa. */
export function missingRouteReceiver(): ReceiverBehavior {
  const mounted = `/api${RECEIVER_PATH}`;
  return (request, _rawBody, response) => {
    if (request.method === "POST" && request.url === mounted) {
      response.writeHead(200, JSON_HEADERS).end('{"ok":true}');
      return;
    }
    response.writeHead(404, EXPRESS_ERROR_HEADERS).end(expressErrorPage(`Cannot ${request.method} ${request.url}`));
  };
}

/** Does its slow work before answering, so the sender's timeout fires first. */
export function slowReceiver(delayMs: number): ReceiverBehavior {
  return (_request, _rawBody, response) => {
    const timer = setTimeout(() => response.writeHead(200, JSON_HEADERS).end('{"received":true}'), delayMs);
    // The sender gave up: stop "working" so the timer does not outlive the connection.
    response.on("close", () => clearTimeout(timer));
  };
}

/** An http→https redirect in front of the app; senders do not follow it. */
export function redirectingReceiver(): ReceiverBehavior {
  return (request, _rawBody, response) => {
    const location = `https://${request.headers.host ?? "127.0.0.1"}${request.url ?? RECEIVER_PATH}`;
    response
      .writeHead(301, { location, "content-type": "text/plain; charset=utf-8", "x-powered-by": "Express" })
      .end(`Moved Permanently. Redirecting to ${location}`);
  };
}

/** Its proxy answers 503 on every `everyNth` request (a restarting upstream); otherwise `inner` answers. */
export function flakyReceiver(everyNth: number, inner: ReceiverBehavior): ReceiverBehavior {
  let count = 0;
  return (request, rawBody, response) => {
    count++;
    if (count % everyNth === 0) {
      response.writeHead(503, { "content-type": "text/html", server: "nginx/1.25.3" }).end(NGINX_503_PAGE);
      return;
    }
    inner(request, rawBody, response);
  };
}

// What a careful receiver does: HMAC of `${t}.${rawBody}`, any v1 may match, constant-time compare, freshness.
function signatureValid(header: string, rawBody: string, secret: string): boolean {
  const parts = header.split(",").map((part) => part.trim());
  const t = parts.find((part) => part.startsWith("t="))?.slice(2);
  if (!t || !/^\d+$/.test(t) || Math.abs(Date.now() / 1000 - Number(t)) > TOLERANCE_SECONDS) return false;
  const expected = exaSignatureDigest(rawBody, secret, t);
  return parts
    .filter((part) => part.startsWith("v1="))
    .some((part) => {
      const given = Buffer.from(part.slice(3), "hex");
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
