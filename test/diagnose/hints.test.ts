// The next-check line: specific to the webhook's host/URL and to the evidence in the sample.
import { describe, expect, it } from "vitest";
import { hintFor } from "../../src/diagnose/index.js";

const base = {
  webhookUrl: "https://hooks.example.com/exa/webhook",
  sampleResponse: "",
  lastSeen: "2026-01-01T00:00:00Z",
};

describe("hintFor", () => {
  it.each([
    [
      { category: "unreachable", statusCode: 0, sampleResponse: "getaddrinfo ENOTFOUND hooks.example.com" },
      "`dig +short hooks.example.com`",
    ],
    [
      { category: "unreachable", statusCode: 0, sampleResponse: "connect ECONNREFUSED 1.2.3.4:443" },
      "`curl -sv -X POST 'https://hooks.example.com/exa/webhook'`",
    ],
    [
      { category: "unreachable", statusCode: 0, webhookUrl: "http://localhost:3000/hooks" },
      "localhost is a local/private address",
    ],
    [{ category: "unreachable", statusCode: 0, webhookUrl: "http://192.168.1.20/hooks" }, "private address"],
    [
      { category: "tls", statusCode: 0 },
      "`openssl s_client -connect hooks.example.com:443 -servername hooks.example.com`",
    ],
    [
      {
        category: "tls",
        statusCode: 0,
        webhookUrl: "https://h.example.com:8080/x",
        sampleResponse: "wrong version number",
      },
      "Port 8080 speaks plain HTTP",
    ],
    [
      { category: "redirect", statusCode: 301, webhookUrl: "http://hooks.example.com/x" },
      "`curl -sI -X POST 'http://hooks.example.com/x'` to see Location",
    ],
    [{ category: "auth_rejected", statusCode: 401 }, "verify_webhook_signature against the RAW body"],
    [
      { category: "auth_rejected", statusCode: 403, sampleResponse: "Attention Required! | Cloudflare" },
      "Cloudflare WAF",
    ],
    [{ category: "not_found", statusCode: 410 }, "delete the webhook or update its URL"],
    [
      { category: "bad_request", statusCode: 400 },
      "Return 2xx for event types you ignore, or narrow the webhook's events",
    ],
    [{ category: "bad_request", statusCode: 413 }, "body-size limit"],
    [{ category: "rate_limited", statusCode: 429 }, "rate limiting"],
    [{ category: "server_error", statusCode: 502 }, "could not reach the app"],
    [{ category: "timeout", statusCode: 0 }, "idempotent on the event id"],
  ] as const)("%j → %s", (input, expected) => {
    const hint = hintFor({ ...base, ...input });
    expect(hint).toContain(expected);
    expect(hint).not.toContain("\n");
  });

  it("keeps a hostile URL from breaking the shell quoting or the code span", () => {
    const hint = hintFor({
      ...base,
      category: "not_found",
      statusCode: 404,
      webhookUrl: "https://x.example/a'`;rm -rf ~`\n",
    });
    const quoted = /'([^']*)'/.exec(hint)?.[1] ?? "";
    expect(quoted).toBe("https://x.example/a%27%27;rm -rf ~%27");
    expect(hint.match(/`/g)).toHaveLength(2);
  });
});
