// Verifies an Exa-Signature header against a raw body and a webhook secret, exactly as Exa's scheme
// requires, and when the check fails says why in words a model can act on. Only the facts a caller
// already has (t, counts, ages) are echoed: the secret, the payload and the v1 values never are.
import {
  headerFinding,
  MISSING_SECRET,
  MISSING_SIGNATURE,
  MISSING_TIMESTAMP,
  malformedSignatures,
  malformedTimestamp,
} from "./findings.js";
import { parseSignatureHeader } from "./header.js";
import {
  bodyAloneFinding,
  diagnoseMismatch,
  matchingDigestIndex,
  type SignedDelivery,
  signsBodyAlone,
} from "./mismatch.js";
import { DEFAULT_TOLERANCE_SECONDS, type Finding, type VerifyReason } from "./reasons.js";
import { describeWhen, timeProblem, toSeconds } from "./timing.js";

const TIMESTAMP_DIGITS = /^\d{1,16}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/i;

export interface VerifyExaSignatureOptions {
  /** The raw request body exactly as received. */
  payload: string;
  /** The Exa-Signature header value, with or without the `Exa-Signature:` name. */
  signatureHeader: string;
  secret: string;
  toleranceSeconds?: number;
  /** Unix seconds to verify at; defaults to the current time. */
  now?: number;
}

interface VerifyExaSignatureResult {
  valid: boolean;
  reason: VerifyReason;
  /** The header's t, as sent; null when the header has none. */
  timestamp: number | null;
  /** Seconds between t and now (negative when t is in the future); null without a timestamp. */
  ageSeconds: number | null;
  /** What was found, one sentence starting in lower case so it can follow "Signature invalid: ". */
  summary: string;
  /** The likely cause and the next step; empty when valid. */
  nextStep: string;
}

interface Clock {
  timestamp: number | null;
  ageSeconds: number | null;
}

const NO_CLOCK: Clock = { timestamp: null, ageSeconds: null };

function verdict(finding: Finding, clock: Clock): VerifyExaSignatureResult {
  return { valid: finding.reason === "valid", ...clock, ...finding };
}

function toleranceOf(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : DEFAULT_TOLERANCE_SECONDS;
}

/** The signature matched: only the timestamp can still make it invalid. */
function matchedFinding(t: string, now: number, tolerance: number, index: number, count: number): Finding {
  const problem = timeProblem(t, now, tolerance);
  if (problem) {
    return {
      reason: problem.reason,
      summary: `the signature matches, but ${problem.fact}.`,
      nextStep: problem.nextStep,
    };
  }
  const which = count > 1 ? `v1 signature ${index + 1} of ${count}` : "the v1 signature";
  return {
    reason: "valid",
    summary: `${which} matches and t=${t} is ${describeWhen(now - Number(t))}, within the ${tolerance} s tolerance.`,
    nextStep: "",
  };
}

/** The signature did not match: the mismatch is the headline, a bad timestamp on top is mentioned, not hidden. */
function mismatchedFinding(delivery: SignedDelivery, now: number, tolerance: number): Finding {
  const finding = diagnoseMismatch(delivery);
  const problem = timeProblem(delivery.timestamp, now, tolerance);
  if (!problem) return finding;
  if (problem.reason === "timestamp_in_milliseconds" && finding.reason === "signature_mismatch") {
    return {
      reason: problem.reason,
      summary: `${problem.fact}, and no v1 signature matches.`,
      nextStep: problem.nextStep,
    };
  }
  return { ...finding, nextStep: `${finding.nextStep} Separately, ${problem.fact}.` };
}

export function verifyExaSignature(options: VerifyExaSignatureOptions): VerifyExaSignatureResult {
  const { payload, secret } = options;
  const tolerance = toleranceOf(options.toleranceSeconds);
  const now = options.now ?? Math.floor(Date.now() / 1000);

  const header = parseSignatureHeader(options.signatureHeader);
  if (header.kind === "split_headers" && secret.trim() !== "") {
    const digests = header.digests.map((hex) => Buffer.from(hex, "hex"));
    // A home-made signer's output pasted to check it: say what it got wrong rather than only "wrong scheme".
    if (signsBodyAlone(digests, payload, secret))
      return verdict(bodyAloneFinding(header.sha256Prefixed ? "sha256_prefixed" : "bare_hex"), NO_CLOCK);
  }
  if (header.kind !== "exa") return verdict(headerFinding(header), NO_CLOCK);
  if (secret.trim() === "") return verdict(MISSING_SECRET, NO_CLOCK);

  const [t, ...extraTimestamps] = header.timestamps;
  if (t === undefined) return verdict(MISSING_TIMESTAMP, NO_CLOCK);
  if (extraTimestamps.length > 0 || !TIMESTAMP_DIGITS.test(t))
    return verdict(malformedTimestamp(extraTimestamps.length > 0), NO_CLOCK);

  const timestamp = Number(t);
  const clock: Clock = { timestamp, ageSeconds: toSeconds(now) - toSeconds(timestamp) };
  if (header.signatures.length === 0) return verdict(MISSING_SIGNATURE, clock);
  const digests = header.signatures.filter((hex) => SHA256_HEX.test(hex)).map((hex) => Buffer.from(hex, "hex"));
  if (digests.length === 0) return verdict(malformedSignatures(header.signatures.length), clock);

  const delivery: SignedDelivery = { payload, secret, timestamp: t, digests };
  const index = matchingDigestIndex(digests, payload, secret, t);
  const finding =
    index === -1
      ? mismatchedFinding(delivery, now, tolerance)
      : matchedFinding(t, now, tolerance, index, digests.length);
  return verdict(finding, clock);
}
