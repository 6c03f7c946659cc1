// signExaPayload is what the sandbox signs real deliveries with, so it is checked against an HMAC computed
// independently here rather than against verify.ts (which shares its digest function).
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signExaPayload } from "../../src/signature/sign.js";

const body = '{"id":"evt_1","object":"event","type":"webset.created","data":{},"createdAt":"2025-01-01T00:00:00Z"}';

function reference(secret: string, t: number): string {
  return createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
}

describe("signExaPayload", () => {
  it("produces t=<seconds>,v1=<lowercase hex HMAC-SHA256 of t.body>", () => {
    const header = signExaPayload(body, "secret-one", 1_735_689_600);
    expect(header).toBe(`t=1735689600,v1=${reference("secret-one", 1_735_689_600)}`);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it("emits one v1 per secret, in order, for rotation", () => {
    const header = signExaPayload(body, ["old-secret", "new-secret"], 1_735_689_600);
    expect(header).toBe(
      `t=1735689600,v1=${reference("old-secret", 1_735_689_600)},v1=${reference("new-secret", 1_735_689_600)}`,
    );
  });

  it("refuses timestamps no verifier would accept and an empty secret list", () => {
    expect(() => signExaPayload(body, "s", 1.5)).toThrow(RangeError);
    expect(() => signExaPayload(body, "s", -1)).toThrow(RangeError);
    expect(() => signExaPayload(body, [], 1)).toThrow(RangeError);
  });
});
