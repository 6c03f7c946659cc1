// verify_webhook_signature through the built bin, for the commonest home-made verifier: HMAC(secret, body)
// without Exa's "<t>." prefix, written as sha256=<hex>. Before, the tool blamed the secret (or only the scheme)
// and called sha256=<hex> "a bare hex digest"; now it names both mistakes and says the secret is right.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signExaPayload } from "../../src/signature/sign.js";
import { runBin } from "../helpers/harness.js";

const SECRET = "Jd4kRt8mWq2zXp6vNb3c";
const NOW = 1_735_689_600;
const RAW = '{"id":"evt_01","object":"event","type":"webset.created","data":{"id":"ws_1"}}';
const BODY_ALONE = createHmac("sha256", SECRET).update(RAW).digest("hex");

function verify(signatureHeader: string) {
  const args = { payload: RAW, signatureHeader, secret: SECRET, now: NOW };
  const run = runBin(["call", "verify_webhook_signature", JSON.stringify(args)], { EXA_API_KEY: "unused-key" });
  expect(run.stdout).not.toContain(SECRET.slice(0, 8));
  expect(run.status).toBe(0); // an invalid signature is an answer, not a tool error
  return run.stdout;
}

describe("a receiver that signs the body alone", () => {
  it("sha256=<hex>: names the missing <t>. prefix and the GitHub-style form, and clears the secret", () => {
    const text = verify(`sha256=${BODY_ALONE}`);
    expect(text).toContain('HMAC-SHA256 of the body alone, without the "<t>." prefix Exa signs');
    expect(text).toContain("sha256=<hex> (GitHub's X-Hub-Signature-256 form)");
    expect(text).toContain("the secret is right");
    expect(text).not.toContain("bare hex digest");
    expect(text).not.toMatch(/another webhook/);
    expect(text).toContain('compute HMAC-SHA256 of t + "." + the raw body with the secret');
  });

  it("t=…,v1=<body-only hex>: names the missing <t>. prefix rather than the secret", () => {
    const text = verify(`t=${NOW - 10},v1=${BODY_ALONE}`);
    expect(text).toContain('Signature invalid: the digest is HMAC-SHA256 of the body alone, without the "<t>." prefix');
    expect(text).not.toMatch(/another webhook/);
  });

  it("sha256=<hex> of Exa's real digest is still the wrong scheme, named as the GitHub-style form", () => {
    const exaHex = signExaPayload(RAW, SECRET, NOW - 10).split("v1=")[1];
    const text = verify(`sha256=${exaHex}`);
    expect(text).toContain("the header is sha256=<hex>, the GitHub-style shape");
    expect(text).not.toContain("bare hex digest");
  });
});
