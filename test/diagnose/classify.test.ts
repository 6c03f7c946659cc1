// Each taxonomy row, classified from the bodies receivers and Node/undici actually produce.
import { describe, expect, it } from "vitest";
import { type Category, classifyAttempt } from "../../src/diagnose/index.js";

const NGINX_502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx/1.24.0</center>
</body>
</html>`;

const CLOUDFLARE_403 = `<!DOCTYPE html>
<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<head><title>Attention Required! | Cloudflare</title></head>
<body><h1>Sorry, you have been blocked</h1><h2>You are unable to access example.com</h2>
<span>Cloudflare Ray ID: <strong>8f1c2a3b4d5e6f70</strong></span></body></html>`;

const CLOUDFLARE_CHALLENGE_503 = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head>
<body><div id="cf-chl-widget">Checking if the site connection is secure</div></body></html>`;

const EXPRESS_404 = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Error</title></head>
<body><pre>Cannot POST /hooks</pre></body>
</html>`;

const STACK_TRACE_500 = `TypeError: Cannot read properties of undefined (reading 'id')
    at handleWebhook (/app/src/routes/webhooks.js:42:17)
    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)
    at next (/app/node_modules/express/lib/router/route.js:149:13)`;

const UNDICI_FETCH_FAILED = `TypeError: fetch failed
    at node:internal/deps/undici/undici:13502:13
    at async deliver (/srv/dispatch.js:10:3) {
  [cause]: SocketError: other side closed
      at TLSSocket.onHttpSocketEnd (node:internal/deps/undici/undici:8903:26) {
    code: 'UND_ERR_SOCKET'
  }
}`;

const cases: Array<[Category, number | null, string | null, string]> = [
  // unreachable: status 0 / none plus the transport error text
  ["unreachable", 0, "connect ECONNREFUSED 127.0.0.1:9", "refused on the discard port"],
  ["unreachable", 0, "getaddrinfo ENOTFOUND hooks.example.invalid", "DNS name does not resolve"],
  ["unreachable", 0, "getaddrinfo EAI_AGAIN hooks.example.com", "DNS temporary failure"],
  ["unreachable", 0, "connect EHOSTUNREACH 10.0.0.5:443", "no route to host"],
  ["unreachable", 0, "connect ENETUNREACH 2001:db8::1:443 - Local (:::0)", "network unreachable"],
  ["unreachable", 0, "Error: socket hang up\n    at connResetException (node:internal/errors:787:14)", "hang up"],
  ["unreachable", 0, "read ECONNRESET", "reset"],
  ["unreachable", 0, UNDICI_FETCH_FAILED, "undici other side closed"],
  ["unreachable", 0, "curl: (7) Failed to connect to hooks.example.com port 443: Connection refused", "curl text"],
  ["unreachable", 0, "", "no body at all"],
  ["unreachable", null, null, "no status, no body"],
  // timeout
  ["timeout", 0, "connect ETIMEDOUT 203.0.113.10:443", "connect timeout"],
  ["timeout", 0, "TimeoutError: The operation was aborted due to timeout", "AbortSignal.timeout"],
  ["timeout", 0, "HeadersTimeoutError: Headers Timeout Error (UND_ERR_HEADERS_TIMEOUT)", "undici headers timeout"],
  ["timeout", 0, "Request timed out after 30000ms", "timed out"],
  ["timeout", 0, "AbortError: This operation was aborted", "aborted"],
  ["timeout", 408, "Request Timeout", "408 from the receiver"],
  // tls
  ["tls", 0, "certificate has expired (CERT_HAS_EXPIRED)", "expired"],
  ["tls", 0, "self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)", "self-signed"],
  ["tls", 0, "self signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN)", "self-signed chain"],
  ["tls", 0, "unable to verify the first certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)", "missing intermediate"],
  [
    "tls",
    0,
    "Hostname/IP does not match certificate's altnames: Host: hooks.example.com. is not in the cert's altnames: DNS:*.herokuapp.com (ERR_TLS_CERT_ALTNAME_INVALID)",
    "name mismatch",
  ],
  [
    "tls",
    0,
    "write EPROTO 40E8D5F8F67F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number",
    "TLS to a plain HTTP port",
  ],
  ["tls", 0, "140736:error:14094410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure", "handshake"],
  ["tls", 0, "Client network socket disconnected before secure TLS connection was established", "reset during TLS"],
  // redirect
  ["redirect", 301, "<html><head><title>301 Moved Permanently</title></head><body>nginx</body></html>", "http→https"],
  ["redirect", 308, "Redirecting to /exa/webhook/", "trailing slash"],
  ["redirect", 302, "Found. Redirecting to /login", "login redirect"],
  // auth_rejected
  ["auth_rejected", 401, '{"error":"invalid signature"}', "signature check"],
  ["auth_rejected", 403, CLOUDFLARE_403, "Cloudflare block page"],
  ["auth_rejected", 403, "CSRF token missing or incorrect.", "Django CSRF"],
  [
    "auth_rejected",
    400,
    "Webhook signature verification failed. No signatures found matching the expected signature",
    "400 signature",
  ],
  ["auth_rejected", 503, CLOUDFLARE_CHALLENGE_503, "Cloudflare challenge served as 503"],
  // not_found
  ["not_found", 404, EXPRESS_404, "express Cannot POST"],
  ["not_found", 410, "Gone", "receiver wants no more"],
  // bad_request
  ["bad_request", 400, '{"error":"Unhandled event type: webset.item.enriched"}', "unknown event type"],
  ["bad_request", 405, "Method Not Allowed", "POST not allowed"],
  ["bad_request", 409, "duplicate event", "conflict"],
  [
    "bad_request",
    413,
    "<html><head><title>413 Request Entity Too Large</title></head><body><center>nginx</center></body></html>",
    "proxy body limit",
  ],
  ["bad_request", 415, "Unsupported Media Type", "content type"],
  ["bad_request", 422, '{"detail":[{"loc":["body","data","id"],"msg":"field required"}]}', "FastAPI schema drift"],
  // rate_limited
  ["rate_limited", 429, "Too Many Requests", "throttled"],
  // server_error
  ["server_error", 500, STACK_TRACE_500, "stack trace"],
  ["server_error", 502, NGINX_502, "nginx 502"],
  ["server_error", 502, "upstream connect error: connect ECONNREFUSED 10.0.3.7:3000", "proxy cannot reach app"],
  ["server_error", 503, "Service Unavailable", "deploying"],
  ["server_error", 504, "<html><head><title>504 Gateway Time-out</title></head></html>", "proxy timeout stays 5xx"],
  // other
  ["other", 200, "ok", "2xx marked unsuccessful"],
  ["other", 204, "", "204 marked unsuccessful"],
  ["other", 102, "", "1xx"],
];

describe("classifyAttempt", () => {
  it.each(cases)("%s for status %s: %#", (expected, responseStatusCode, responseBody) => {
    expect(classifyAttempt({ responseStatusCode, responseBody })).toBe(expected);
  });

  it("uses the status table for HTTP statuses even when the body has transport words", () => {
    expect(classifyAttempt({ responseStatusCode: 500, responseBody: "Error: connect ETIMEDOUT db:5432" })).toBe(
      "server_error",
    );
    expect(classifyAttempt({ responseStatusCode: 404, responseBody: "certificate not found" })).toBe("not_found");
  });
});
