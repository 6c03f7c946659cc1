// verifyExaSignature: every failure cause is detected and named, tolerance edges are exact, malformed input
// never throws, and no output field ever carries the secret (checked on every call through `verify`).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VERIFY_REASONS } from "../../src/signature/reasons.js";
import { signExaPayload } from "../../src/signature/sign.js";
import { type VerifyExaSignatureOptions, verifyExaSignature } from "../../src/signature/verify.js";

const SECRET = "Zq8tPmX2vL9rK4nB7yWcHd3s";
const NOW = 1_735_689_600;
const event = {
  id: "evt_01",
  object: "event",
  type: "webset.item.enriched",
  data: { id: "witem_1", status: "completed", title: "Zürich café ☕" },
  createdAt: "2025-01-01T00:00:00.000Z",
};
const RAW = JSON.stringify(event);
const HEADER = signExaPayload(RAW, SECRET, NOW - 12);
const HEX = HEADER.split("v1=")[1] ?? "";

/** Every 6-character window of the secret (minus the public whsec_ convention) must be absent. */
function expectNoSecret(output: unknown, secret: string): void {
  const text = JSON.stringify(output);
  const material = secret.trim().replace(/^whsec_/, "");
  for (let i = 0; i + 6 <= material.length; i++) expect(text).not.toContain(material.slice(i, i + 6));
}

function verify(overrides: Partial<VerifyExaSignatureOptions>) {
  const options = { payload: RAW, signatureHeader: HEADER, secret: SECRET, now: NOW, ...overrides };
  const result = verifyExaSignature(options);
  expect(VERIFY_REASONS).toContain(result.reason);
  expect(result.valid).toBe(result.reason === "valid");
  expect(result.summary.length).toBeGreaterThan(0);
  expectNoSecret(result, options.secret);
  return result;
}

describe("valid signatures", () => {
  it("accepts Exa's header over the raw body", () => {
    const result = verify({});
    expect(result).toMatchObject({ valid: true, reason: "valid", timestamp: NOW - 12, ageSeconds: 12 });
  });

  it("accepts a rotation header when any one v1 matches", () => {
    const result = verify({ signatureHeader: signExaPayload(RAW, ["Lp4oKi9jUh2yTg7rFe5d", SECRET], NOW) });
    expect(result.reason).toBe("valid");
    expect(result.summary).toContain("v1 signature 2 of 2");
  });

  it.each([
    ["with the header name", `Exa-Signature: ${HEADER}`],
    ["lower-case header name", `exa-signature:${HEADER}`],
    ["with spaces around fields", ` t = ${NOW - 12} ,  v1 = ${HEX} `],
    ["quoted", `"${HEADER}"`],
    ["among other pasted headers", `content-type: application/json\nExa-Signature: ${HEADER}\nuser-agent: x`],
    ["with an unknown extra field", `${HEADER},v0=abc`],
    ["with upper-case hex", `t=${NOW - 12},v1=${HEX.toUpperCase()}`],
  ])("tolerates the header %s", (_label, signatureHeader) => {
    expect(verify({ signatureHeader }).reason).toBe("valid");
  });

  it("verifies unicode payloads as UTF-8", () => {
    const payload = '{"text":"日本語 🎉 \\u0000 ümlaut"}';
    expect(verify({ payload, signatureHeader: signExaPayload(payload, SECRET, NOW) }).reason).toBe("valid");
  });
});

describe("tolerance", () => {
  const at = (age: number, toleranceSeconds?: number) =>
    verify({ signatureHeader: signExaPayload(RAW, SECRET, NOW - age), toleranceSeconds });

  it("accepts exactly 300 s old and rejects 301 s old", () => {
    expect(at(300)).toMatchObject({ valid: true, ageSeconds: 300 });
    expect(at(301)).toMatchObject({ valid: false, reason: "timestamp_outside_tolerance", ageSeconds: 301 });
  });

  it("applies the same bound to timestamps in the future (clock skew)", () => {
    expect(at(-300).reason).toBe("valid");
    const future = at(-301);
    expect(future).toMatchObject({ reason: "timestamp_outside_tolerance", ageSeconds: -301 });
    expect(future.summary).toContain("in the future");
    expect(future.nextStep).toContain("NTP");
  });

  it("honours a custom tolerance, including zero", () => {
    expect(at(0, 0).reason).toBe("valid");
    expect(at(1, 0).reason).toBe("timestamp_outside_tolerance");
    expect(at(3600, 3600).reason).toBe("valid");
  });

  it("checks an old captured delivery at the `now` it is given", () => {
    const header = signExaPayload(RAW, SECRET, 1_600_000_000);
    expect(verify({ signatureHeader: header, now: 1_600_000_100 }).reason).toBe("valid");
    expect(verify({ signatureHeader: header }).reason).toBe("timestamp_outside_tolerance");
  });
});

describe("diagnosing a mismatch", () => {
  it("names a pretty-printed body as re-serialized and says to use the raw body", () => {
    for (const indent of [2, 4, "\t"]) {
      const result = verify({ payload: JSON.stringify(event, null, indent) });
      expect(result.reason).toBe("payload_reserialized");
      expect(result.nextStep).toContain("raw");
    }
  });

  it("recovers a body whose keys were reordered (sorted, or Exa's order)", () => {
    const { createdAt, data, id, object, type } = event;
    const sorted = JSON.stringify({ createdAt, data, id, object, type });
    // Signed in Exa's order, checked after something sorted the keys.
    expect(verify({ payload: sorted }).reason).toBe("payload_reserialized");
    // Signed in sorted order, checked in Exa's order.
    const sortedHeader = signExaPayload(sorted, SECRET, NOW);
    expect(verify({ payload: RAW, signatureHeader: sortedHeader }).reason).toBe("payload_reserialized");
  });

  it("recovers Python json.dumps spacing with ASCII escapes", () => {
    const python = '{"id": "evt_01", "text": "caf\\u00e9 \\u2615"}';
    const result = verify({
      payload: '{"id":"evt_01","text":"café ☕"}',
      signatureHeader: signExaPayload(python, SECRET, NOW),
    });
    expect(result.reason).toBe("payload_reserialized");
    expect(result.summary).toContain("Python");
  });

  it("notices a lost trailing newline", () => {
    const result = verify({ signatureHeader: signExaPayload(`${RAW}\n`, SECRET, NOW) });
    expect(result.reason).toBe("payload_reserialized");
    expect(result.summary).toContain("trailing newline");
  });

  it('names an empty body and "[object Object]"', () => {
    expect(verify({ payload: "" }).reason).toBe("empty_payload");
    expect(verify({ payload: "[object Object]" }).reason).toBe("payload_reserialized");
  });

  it.each(["\n", " ", "\r\n", "\t "])("names a secret with stray whitespace (%j)", (pad) => {
    expect(verify({ secret: `${SECRET}${pad}` }).reason).toBe("secret_whitespace");
    expect(verify({ secret: `${pad}${SECRET}` }).reason).toBe("secret_whitespace");
  });

  it("names a whsec_ prefix that was added or stripped", () => {
    const added = verify({ secret: `whsec_${SECRET}` });
    expect(added.reason).toBe("secret_prefix");
    expect(added.summary).toContain("without its whsec_ prefix");
    const stripped = verify({ signatureHeader: signExaPayload(RAW, `whsec_${SECRET}`, NOW - 12) });
    expect(stripped.reason).toBe("secret_prefix");
    expect(stripped.summary).toContain("with a whsec_ prefix");
    expect(verify({ secret: `whsec_${SECRET}\n` }).reason).toBe("secret_prefix");
  });

  it("falls back to a plain mismatch for the wrong secret and mentions a stale timestamp too", () => {
    const result = verify({ secret: "Qw7rTy2uIo9pAs4dFg6h", now: NOW + 3600 });
    expect(result.reason).toBe("signature_mismatch");
    expect(result.nextStep).toContain("another webhook");
    expect(result.nextStep).toContain("beyond the 300 s tolerance");
  });
});

describe("wrong schemes and timestamps", () => {
  it.each([
    ["a bare hex digest", HEX],
    ["x-exa-signature with a hex digest", `x-exa-signature: ${HEX}`],
    ["split headers pasted together", `x-exa-timestamp: ${NOW}\nx-exa-signature: ${HEX}`],
    ["a sha256= digest", `sha256=${HEX}`],
  ])("names %s as the split-header scheme", (_label, signatureHeader) => {
    const result = verify({ signatureHeader });
    expect(result.reason).toBe("wrong_scheme_split_headers");
    expect(result.nextStep).toContain("Exa-Signature");
  });

  it.each([
    ["v1,<base64>", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="],
    ["two Standard Webhooks signatures", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1a,aGVsbG8="],
    ["a webhook-signature line", "webhook-signature: v1,aGVsbG8="],
    ["an svix-signature line", "svix-signature: v1,aGVsbG8="],
  ])("names %s as the Standard Webhooks scheme", (_label, signatureHeader) => {
    const result = verify({ signatureHeader });
    expect(result.reason).toBe("wrong_scheme_standard_webhooks");
    expect(result.nextStep).toContain("standardwebhooks");
  });

  it("names a millisecond t, whether or not the signature matches", () => {
    const header = signExaPayload(RAW, SECRET, NOW * 1000);
    expect(verify({ signatureHeader: header })).toMatchObject({ reason: "timestamp_in_milliseconds", ageSeconds: 0 });
    expect(verify({ signatureHeader: header, secret: "Mn3bVc8xKj5hGf1dSa0p" }).reason).toBe(
      "timestamp_in_milliseconds",
    );
  });

  it("names a millisecond clock on the verifying side", () => {
    const result = verify({ now: NOW * 1000 });
    expect(result.reason).toBe("timestamp_in_milliseconds");
    expect(result.nextStep).toContain("Math.floor(Date.now() / 1000)");
  });
});

describe("malformed input", () => {
  it.each([
    ["", "missing_header"],
    ["   \n ", "missing_header"],
    ["Exa-Signature:", "missing_header"],
    ["garbage", "malformed_header"],
    [`v1=${HEX}`, "missing_timestamp"],
    [`t=${NOW}`, "missing_signature"],
    [`t=${NOW},v1=`, "malformed_header"],
    [`t=abc,v1=${HEX}`, "malformed_header"],
    [`t=-5,v1=${HEX}`, "malformed_header"],
    [`t=${"9".repeat(40)},v1=${HEX}`, "malformed_header"],
    [`t=1,t=2,v1=${HEX}`, "malformed_header"],
    [`t=${NOW},v1=${"z".repeat(64)}`, "malformed_header"],
    [`t=${NOW},v1=${HEX.slice(1)}`, "malformed_header"],
    [`t=${NOW},v1=${Buffer.from(HEX, "hex").toString("base64")}`, "malformed_header"],
  ])("header %j → %s", (signatureHeader, reason) => {
    expect(verify({ signatureHeader }).reason).toBe(reason);
  });

  it("names an empty secret", () => {
    expect(verify({ secret: "" }).reason).toBe("missing_secret");
    expect(verify({ secret: " \n" }).reason).toBe("missing_secret");
  });

  it("handles a 5 MB payload, matching or not", () => {
    const big = JSON.stringify({ ...event, data: { blob: "x".repeat(5 * 1024 * 1024) } });
    const header = signExaPayload(big, SECRET, NOW);
    expect(verify({ payload: big, signatureHeader: header }).reason).toBe("valid");
    expect(verify({ payload: `${big} `, signatureHeader: header }).reason).toBe("payload_reserialized");
    expect(verify({ payload: big.replace("x", "y"), signatureHeader: header }).reason).toBe("signature_mismatch");
  });

  it("survives lone surrogates and deeply nested JSON", () => {
    expect(verify({ payload: "\ud800 broken" }).reason).toBe("signature_mismatch");
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    expect(verify({ payload: deep }).reason).toBe("signature_mismatch");
  });

  it("never throws on arbitrary input", () => {
    const headerish = fc.oneof(
      fc.string(),
      fc
        .array(fc.oneof(fc.constantFrom("t=", "v1=", ",", " ", "v1,", ":", "\n"), fc.string({ maxLength: 70 })))
        .map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(
        fc.string(),
        headerish,
        fc.string(),
        fc.option(fc.integer(), { nil: undefined }),
        (payload, header, secret, now) => {
          const result = verifyExaSignature({ payload, signatureHeader: header, secret, now });
          expect(VERIFY_REASONS).toContain(result.reason);
        },
      ),
      { numRuns: 300 },
    );
  });
});
