// The headers of one redelivery: what Exa sends (content type, Exa-Signature over `${t}.${rawBody}`) plus
// a marker so a receiver can tell a replay from a first delivery. The plan shows the same names with the
// signature as a placeholder: a dry run never computes an HMAC.
import { EXA_SIGNATURE_HEADER } from "../signature/sign.js";
import { VERSION } from "../version.js";

/** What a plan shows in place of the signature: the format of its value. */
export const PLANNED_SIGNATURE =
  't=<unix seconds at send>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the webhook secret>';

/** The headers of each POST but the signature, which the POST computes as it sends. */
export function redeliveryHeaders(): Record<string, string> {
  return {
    "content-type": "application/json",
    "Exa-Redelivery": "1",
    "user-agent": `exa-webhooks-mcp/${VERSION} (redelivery)`,
  };
}

/** The headers a plan shows, in the order a receiver gets them, the signature as its format. */
export function plannedHeaders(): Record<string, string> {
  const { "content-type": contentType, ...rest } = redeliveryHeaders();
  return { "content-type": contentType as string, [EXA_SIGNATURE_HEADER]: PLANNED_SIGNATURE, ...rest };
}
