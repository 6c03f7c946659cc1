// How a sandbox receiver answers in each behaviour: the common ways real webhook handlers fail, plus a healthy
// one that checks the Exa-Signature for real. Each answer is a plain node:http response over the raw body.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { exaSignatureDigest } from "../../signature/sign.js";
import { RECEIVER_BEHAVIORS, type ReceiverBehavior } from "./catalog.js";
import { EXPRESS_ERROR_HEADERS, expressErrorPage, NGINX_503_PAGE, NODE_STACK_TRACE } from "./pages.js";

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "x-powered-by": "Express" };
/** The replay window Exa suggests receivers enforce. */
const TOLERANCE_SECONDS = 300;

interface AnswerContext {
  /** The webhook's secret (undefined until the webhook exists). */
  secret: string | undefined;
  /** What a wrong_secret receiver checks instead. */
  staleSecret: string;
  /** The proxy in front fails this request (flaky, or the healthy receiver's rare blip). */
  proxyFails: boolean;
}

export function answer(
  behavior: ReceiverBehavior,
  request: IncomingMessage,
  rawBody: string,
  response: ServerResponse,
  context: AnswerContext,
): void {
  switch (behavior) {
    case "healthy":
    case "flaky":
      if (context.proxyFails) {
        response.writeHead(503, { "content-type": "text/html", server: "nginx/1.25.3" }).end(NGINX_503_PAGE);
        return;
      }
      verifiedAnswer(request, rawBody, response, context.secret);
      return;
    case "wrong_secret":
      verifiedAnswer(request, rawBody, response, context.staleSecret);
      return;
    case "crashing":
      // An uncaught TypeError in the handler: Express's 500 page with the stack (NODE_ENV is not production).
      response.writeHead(500, EXPRESS_ERROR_HEADERS).end(expressErrorPage(NODE_STACK_TRACE));
      return;
    case "missing_route":
      // The handler is mounted at /api/webhooks/exa, but the webhook points at /webhooks/exa.
      response.writeHead(404, EXPRESS_ERROR_HEADERS).end(expressErrorPage(`Cannot ${request.method} ${request.url}`));
      return;
    case "slow": {
      const timer = setTimeout(
        () => response.writeHead(200, JSON_HEADERS).end('{"received":true}'),
        RECEIVER_BEHAVIORS.slow.answerAfterMs,
      );
      // The sender gave up: stop "working" so the timer does not outlive the connection.
      response.on("close", () => clearTimeout(timer));
      return;
    }
    case "redirect": {
      // An http→https redirect in front of the app; senders do not follow it.
      const location = `https://${request.headers.host ?? "127.0.0.1"}${request.url ?? "/"}`;
      response
        .writeHead(301, { location, "content-type": "text/plain; charset=utf-8", "x-powered-by": "Express" })
        .end(`Moved Permanently. Redirecting to ${location}`);
      return;
    }
    case "down":
      // Not listening, so never reached; a request already in flight when it went down is dropped.
      response.destroy();
      return;
  }
}

function verifiedAnswer(request: IncomingMessage, rawBody: string, response: ServerResponse, secret?: string): void {
  const header = request.headers["exa-signature"];
  if (typeof header !== "string" || secret === undefined || !signatureValid(header, rawBody, secret)) {
    response.writeHead(401, JSON_HEADERS).end('{"error":"invalid signature"}');
    return;
  }
  response.writeHead(200, JSON_HEADERS).end('{"received":true}');
}

/** What a careful receiver does: HMAC of `${t}.${rawBody}`, any v1 may match, constant-time compare, freshness. */
export function signatureValid(header: string, rawBody: string, secret: string): boolean {
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
