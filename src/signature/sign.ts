// Exa's delivery signature, produced in one place. The sandbox signs real deliveries with signExaPayload
// and verify.ts recomputes exaSignatureDigest, so signer and verifier cannot drift apart.
import { createHmac } from "node:crypto";

export const EXA_SIGNATURE_HEADER = "Exa-Signature";

/**
 * HMAC-SHA256 of `${t}.${rawBody}` keyed by the secret. `timestamp` is taken as a string so a verifier
 * hashes exactly the digits it received (leading zeros included) rather than a re-printed number.
 */
export function exaSignatureDigest(rawBody: string, secret: string, timestamp: string): Buffer {
  return createHmac("sha256", secret).update(`${timestamp}.${rawBody}`, "utf8").digest();
}

/**
 * The `Exa-Signature` header value `t=<t>,v1=<hex>[,v1=<hex>...]`. Several secrets give several `v1=`
 * entries, which is how a receiver keeps accepting deliveries while it rotates secrets.
 */
export function signExaPayload(rawBody: string, secret: string | readonly string[], timestampSeconds: number): string {
  // A fractional or negative t would produce a header no verifier accepts; fail loudly at the signer instead.
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError("timestampSeconds must be a non-negative integer (unix seconds)");
  }
  const secrets = typeof secret === "string" ? [secret] : secret;
  if (secrets.length === 0) throw new RangeError("signExaPayload needs at least one secret");
  const t = String(timestampSeconds);
  const signatures = secrets.map((key) => `v1=${exaSignatureDigest(rawBody, key, t).toString("hex")}`);
  return [`t=${t}`, ...signatures].join(",");
}
