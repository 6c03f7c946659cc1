// EXA_WEBHOOK_SECRETS and the redelivery target rule: parsed strictly, warned about without the secret.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { resolveRedeliveryTarget, TargetRefusedError } from "../../src/redeliver/target.js";

const SECRET = "whsec_distinctive_0d9e27c4";

describe("EXA_WEBHOOK_SECRETS", () => {
  it("reads comma-separated webhook_id=secret pairs; a secret may contain '=' padding", () => {
    const config = loadConfig({ EXA_WEBHOOK_SECRETS: ` webhook_a=${SECRET} , webhook_b=abc+/def== ` });
    expect([...config.webhookSecrets]).toEqual([
      ["webhook_a", SECRET],
      ["webhook_b", "abc+/def=="],
    ]);
    expect(JSON.stringify(config)).not.toContain(SECRET);
  });

  it("ignores malformed pairs with a warning that names the entry, never its text", () => {
    const warnings: string[] = [];
    const config = loadConfig(
      {
        EXA_WEBHOOK_SECRETS: [
          `webhook_ok=${SECRET}`,
          `${SECRET}`,
          `bad id/x=${SECRET}`,
          "webhook_empty=",
          `webhook_space=${SECRET} tail`,
          "",
          `webhook_twice=${SECRET}1`,
          `webhook_twice=${SECRET}2`,
        ].join(","),
      },
      {},
      (warning) => warnings.push(warning),
    );
    expect([...config.webhookSecrets.keys()]).toEqual(["webhook_ok"]);
    expect(warnings).toEqual([
      "EXA_WEBHOOK_SECRETS entry 2 is not webhook_id=secret (the id must be a webhook id from list_webhooks); ignored.",
      "EXA_WEBHOOK_SECRETS entry 3 is not webhook_id=secret (the id must be a webhook id from list_webhooks); ignored.",
      "EXA_WEBHOOK_SECRETS entry 4 (webhook webhook_empty) has an empty secret or one with whitespace inside; ignored.",
      "EXA_WEBHOOK_SECRETS entry 5 (webhook webhook_space) has an empty secret or one with whitespace inside; ignored.",
      "EXA_WEBHOOK_SECRETS entry 6 is empty (a stray comma); ignored.",
      "EXA_WEBHOOK_SECRETS lists webhook webhook_twice twice; both ignored.",
    ]);
    for (const warning of warnings) expect(warning).not.toContain(SECRET.slice(6));
  });

  it("unset or blank means no secrets and no warning", () => {
    const warnings: string[] = [];
    expect(loadConfig({ EXA_WEBHOOK_SECRETS: "  " }, {}, (w) => warnings.push(w)).webhookSecrets.size).toBe(0);
    expect(warnings).toEqual([]);
  });
});

describe("resolveRedeliveryTarget", () => {
  const webhook = { webhookId: "webhook_a", webhookUrl: "https://hooks.example.com/exa", sandbox: false };
  const target = (targetUrl: string | undefined, sandbox = false) =>
    resolveRedeliveryTarget({ ...webhook, targetUrl, sandbox });

  it("defaults to the webhook's URL; allows its origin and loopback", () => {
    expect(target(undefined)).toEqual({ url: "https://hooks.example.com/exa", kind: "webhook" });
    expect(target("https://hooks.example.com:443/other").kind).toBe("same_origin");
    for (const url of [
      "http://localhost:3000/webhooks/exa",
      "http://127.0.0.1:8080/x",
      "http://127.9.9.9/",
      "http://[::1]:3000/x",
    ])
      expect(target(url).kind, url).toBe("loopback");
  });

  it("refuses every other host, scheme, port or credentials", () => {
    for (const url of [
      "http://hooks.example.com/exa",
      "https://hooks.example.com:8443/exa",
      "https://evil.example.net/exa",
      "https://hooks.example.com.evil.example.net/",
      "http://localhost.evil.example.net/",
      "http://[::ffff:127.0.0.1]/",
      "http://10.0.0.1/",
      "https://user:pass@hooks.example.com/exa",
      "file:///etc/passwd",
      "not a url",
    ]) {
      expect(() => target(url), url).toThrow(TargetRefusedError);
    }
  });

  it("in the sandbox, only loopback, even for the webhook's own URL", () => {
    expect(() => target(undefined, true)).toThrow(/the sandbox sends only to 127\.0\.0\.0\/8/);
    expect(target("http://127.0.0.1:3000/x", true).kind).toBe("loopback");
  });
});
