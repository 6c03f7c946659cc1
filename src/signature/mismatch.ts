// Names the cause once no v1 signature matches. Every check here recomputes the HMAC under a plausible
// mistake (trimmed or re-prefixed secret, re-serialized body) and reports the one that matches; none of
// them can make the signature valid, they only say what the caller got wrong.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Finding } from "./reasons.js";
import type { BodyCandidate } from "./reserialize.js";
import { reserializationCandidates } from "./reserialize.js";
import { exaSignatureDigest } from "./sign.js";

const SECRET_PREFIX = "whsec_";
const RAW_BODY_HINT =
  "Verify the raw request body exactly as received (express.raw, await request.text(), the body bytes), then parse JSON only after the check passes.";

export interface SignedDelivery {
  payload: string;
  secret: string;
  /** The `t=` digits exactly as they appear in the header. */
  timestamp: string;
  /** Decoded `v1=` digests. */
  digests: readonly Buffer[];
}

/** Index of the first matching digest, or -1. Compares every digest in constant time per comparison. */
export function matchingDigestIndex(digests: readonly Buffer[], payload: string, secret: string, timestamp: string) {
  const expected = exaSignatureDigest(payload, secret, timestamp);
  let matched = -1;
  digests.forEach((digest, index) => {
    // timingSafeEqual throws on unequal lengths; the parser only lets 32-byte digests through, this is a backstop.
    if (digest.length === expected.length && timingSafeEqual(digest, expected) && matched === -1) matched = index;
  });
  return matched;
}

/**
 * Whether a digest is HMAC-SHA256 of the body alone, keyed by the secret: the commonest home-made verifier,
 * which leaves out the `<t>.` Exa puts in front of the body. Only ever a diagnosis, never a valid signature.
 */
export function signsBodyAlone(digests: readonly Buffer[], payload: string, secret: string): boolean {
  const bodyOnly = createHmac("sha256", secret).update(payload, "utf8").digest();
  return digests.some((digest) => digest.length === bodyOnly.length && timingSafeEqual(digest, bodyOnly));
}

const SIGN_T_DOT_BODY =
  'Exa signs "<t>.<raw body>": read t from the same Exa-Signature header, compute HMAC-SHA256 of t + "." + the raw body with the secret, and compare its hex to each v1= value.';

/** The body-only HMAC, found in a header shaped like Exa's (t=,v1=) or in a `sha256=<hex>`/bare digest. */
export function bodyAloneFinding(shape: "exa" | "sha256_prefixed" | "bare_hex"): Finding {
  const bodyOnly = 'the digest is HMAC-SHA256 of the body alone, without the "<t>." prefix Exa signs';
  if (shape === "exa") {
    return {
      reason: "timestamp_not_signed",
      summary: `${bodyOnly}; the secret is right.`,
      nextStep: SIGN_T_DOT_BODY,
    };
  }
  const form =
    shape === "sha256_prefixed"
      ? "it is written as sha256=<hex> (GitHub's X-Hub-Signature-256 form)"
      : "it is a bare hex digest";
  return {
    reason: "timestamp_not_signed",
    summary: `two mistakes, and the secret is right: ${bodyOnly}, and ${form} where Exa sends t=<seconds>,v1=<hex>.`,
    nextStep: `${SIGN_T_DOT_BODY} There is no sha256= prefix and no separate timestamp header.`,
  };
}

function matches(delivery: SignedDelivery, overrides: { payload?: string; secret?: string }): boolean {
  const payload = overrides.payload ?? delivery.payload;
  const secret = overrides.secret ?? delivery.secret;
  return matchingDigestIndex(delivery.digests, payload, secret, delivery.timestamp) !== -1;
}

function diagnoseSecret(delivery: SignedDelivery): Finding | null {
  const trimmed = delivery.secret.trim();
  const wasPadded = trimmed !== delivery.secret;
  if (wasPadded && matches(delivery, { secret: trimmed })) {
    return {
      reason: "secret_whitespace",
      summary: "the signature matches once leading/trailing whitespace is removed from the secret.",
      nextStep:
        "The secret carries a stray space or newline (often from a .env file or copy-paste); trim it where it is loaded.",
    };
  }
  const trimNote = wasPadded ? "trim the secret and " : "";
  if (trimmed.startsWith(SECRET_PREFIX) && matches(delivery, { secret: trimmed.slice(SECRET_PREFIX.length) })) {
    return {
      reason: "secret_prefix",
      summary: `the signature matches the secret without its ${SECRET_PREFIX} prefix.`,
      nextStep: `Something added a ${SECRET_PREFIX} prefix Exa's secret does not have (a Standard Webhooks habit); ${trimNote}use the secret exactly as create_webhook returned it.`,
    };
  }
  if (!trimmed.startsWith(SECRET_PREFIX) && matches(delivery, { secret: SECRET_PREFIX + trimmed })) {
    return {
      reason: "secret_prefix",
      summary: `the signature matches the secret with a ${SECRET_PREFIX} prefix in front.`,
      nextStep: `The prefix is part of the secret; ${trimNote}use the full secret exactly as create_webhook returned it, without stripping ${SECRET_PREFIX}.`,
    };
  }
  return null;
}

function diagnosePayload(delivery: SignedDelivery): Finding | null {
  if (delivery.payload.trim() === "") {
    return {
      reason: "empty_payload",
      summary: "the payload is empty, but Exa always signs a JSON event body.",
      nextStep: `A body parser probably consumed the request before verification. ${RAW_BODY_HINT}`,
    };
  }
  if (delivery.payload.trim() === "[object Object]") {
    return {
      reason: "payload_reserialized",
      summary:
        'the payload is the string "[object Object]": the body was parsed into an object and then coerced to a string.',
      nextStep: RAW_BODY_HINT,
    };
  }
  let found: BodyCandidate | null = null;
  for (const candidate of reserializationCandidates(delivery.payload)) {
    if (matches(delivery, { payload: candidate.text })) {
      found = candidate;
      break;
    }
  }
  if (!found) return null;
  return {
    reason: "payload_reserialized",
    summary: `the signature matches only after the payload is ${found.label}, so the payload checked is not the raw body Exa signed.`,
    nextStep: RAW_BODY_HINT,
  };
}

export function diagnoseMismatch(delivery: SignedDelivery): Finding {
  if (signsBodyAlone(delivery.digests, delivery.payload, delivery.secret)) return bodyAloneFinding("exa");
  const found = diagnoseSecret(delivery) ?? diagnosePayload(delivery);
  if (found) return found;
  const count = delivery.digests.length;
  return {
    reason: "signature_mismatch",
    summary: `no v1 signature (${count} checked) matches HMAC-SHA256 of "<t>.<payload>" with this secret, nor any common variant (body signed without "<t>.", trimmed or whsec_-prefixed secret, re-serialized JSON, changed newlines).`,
    nextStep:
      "Most likely the secret belongs to another webhook (each has its own, shown once by create_webhook) or the body was altered before verification; check both, using the raw body bytes.",
  };
}
