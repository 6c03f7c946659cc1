// The fixed wording of verdicts reached before any HMAC is computed: what is wrong with the header or
// the secret, each with the next step. Kept apart from verify.ts so the control flow there stays readable.
import type { ParsedSignatureHeader } from "./header.js";
import type { Finding } from "./reasons.js";

export function headerFinding(header: Exclude<ParsedSignatureHeader, { kind: "exa" }>): Finding {
  switch (header.kind) {
    case "empty":
      return {
        reason: "missing_header",
        summary: "the signature header is empty.",
        nextStep:
          "Pass the Exa-Signature request header (t=<unix seconds>,v1=<hex>); if the receiver never sees it, log all incoming headers, since a proxy may strip it.",
      };
    case "standard_webhooks":
      return {
        reason: "wrong_scheme_standard_webhooks",
        summary: "the header is in the Standard Webhooks/Svix form (v1,<base64>), not Exa's t=<seconds>,v1=<hex>.",
        nextStep:
          'Exa sends one Exa-Signature header that the standardwebhooks and svix libraries cannot verify; compute HMAC-SHA256 of "<t>.<raw body>" with the secret and compare it as hex to each v1.',
      };
    case "split_headers":
      return {
        reason: "wrong_scheme_split_headers",
        summary: header.sha256Prefixed
          ? "the header is sha256=<hex>, the GitHub-style shape (X-Hub-Signature-256), with no t= and no v1=."
          : "the header is a bare hex digest with no t=, the shape used by x-exa-signature + x-exa-timestamp code.",
        nextStep:
          'Exa sends no such headers: read the single Exa-Signature header (t=<seconds>,v1=<hex>) and sign "<t>.<raw body>" with the t from that same header.',
      };
    case "unrecognized":
      return {
        reason: "malformed_header",
        summary: "the header has no t= or v1= fields.",
        nextStep: "Pass the complete Exa-Signature value, shaped t=<unix seconds>,v1=<64 hex characters>.",
      };
  }
}

export const MISSING_SECRET: Finding = {
  reason: "missing_secret",
  summary: "the secret is empty.",
  nextStep:
    "Pass the webhook's secret, which Exa returns only once, in the create_webhook response; if it is lost, create a new webhook and delete the old one.",
};

export const MISSING_TIMESTAMP: Finding = {
  reason: "missing_timestamp",
  summary: "the header has v1= but no t= field.",
  nextStep:
    'Exa puts the timestamp in the same header (t=<unix seconds>,v1=<hex>) and signs "<t>.<raw body>"; pass the whole Exa-Signature value. There is no separate timestamp header.',
};

export const MISSING_SIGNATURE: Finding = {
  reason: "missing_signature",
  summary: "the header has t= but no v1= signature.",
  nextStep: "Pass the complete Exa-Signature value; if it was cut short (a log with a length cap), capture it again.",
};

export function malformedTimestamp(repeated: boolean): Finding {
  return {
    reason: "malformed_header",
    summary: repeated ? "the header carries more than one t= field." : "t= is not a unix timestamp (digits only).",
    nextStep: "Pass the Exa-Signature value exactly as received, shaped t=<unix seconds>,v1=<hex>.",
  };
}

export function malformedSignatures(count: number): Finding {
  return {
    reason: "malformed_header",
    summary: `none of the ${count} v1= values is a 64-character hex SHA-256 digest.`,
    nextStep:
      "Pass the v1 values exactly as received: Exa's are lowercase hex, so a truncated or re-encoded (base64) value cannot match.",
  };
}
