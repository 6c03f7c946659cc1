// The closed set of verdicts verify_webhook_signature can reach. A string enum so the tool's structured
// output is a stable contract a model (or a test) can branch on, while the prose explanation may evolve.
export const VERIFY_REASONS = [
  "valid",
  "missing_header",
  "malformed_header",
  "missing_timestamp",
  "missing_signature",
  "missing_secret",
  "timestamp_outside_tolerance",
  "timestamp_in_milliseconds",
  "signature_mismatch",
  "payload_reserialized",
  "empty_payload",
  "wrong_scheme_standard_webhooks",
  "wrong_scheme_split_headers",
  "secret_whitespace",
  "secret_prefix",
  "timestamp_not_signed",
] as const;

export type VerifyReason = (typeof VERIFY_REASONS)[number];

/** One verdict in words: `summary` says what was found, `nextStep` the likely cause and what to do. */
export interface Finding {
  reason: VerifyReason;
  summary: string;
  nextStep: string;
}

/** Exa's suggested tolerance for the signature timestamp. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
