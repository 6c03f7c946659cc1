// The headers of one redelivery: what Exa sends (content type, Exa-Signature over `${t}.${rawBody}`) plus
// a marker so a receiver can tell a replay from a first delivery. The plan shows the same names with the
// signature as a placeholder: a dry run never computes an HMAC.
import { EXA_SIGNATURE_HEADER } from "../signature/sign.js";
import { VERSION } from "../version.js";

export const REDELIVERY_MARKER_HEADER = "Exa-Redelivery";

/** What a dry run shows: the exact header names and the format of each value. */
export function plannedHeaders(): Record<string, string> {
  return {
    "content-type": "application/json",
    [EXA_SIGNATURE_HEADER]:
      't=<unix seconds at send>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the webhook secret>',
    [REDELIVERY_MARKER_HEADER]: "1",
    "user-agent": userAgent(),
  };
}

/** The headers of a real POST; `sign` turns (raw body, t) into the Exa-Signature value. */
export function redeliveryHeaders(signature: string): Record<string, string> {
  return {
    "content-type": "application/json",
    [EXA_SIGNATURE_HEADER]: signature,
    [REDELIVERY_MARKER_HEADER]: "1",
    "user-agent": userAgent(),
  };
}

function userAgent(): string {
  return `exa-webhooks-mcp/${VERSION} (redelivery)`;
}
