// Parses what a user pastes as the signature header. People paste the bare value, the whole
// `Exa-Signature: ...` line, or several header lines, so this is lenient about form and strict only
// about content: it tells Exa's scheme apart from Standard Webhooks and split-header schemes.
export type ParsedSignatureHeader =
  | { kind: "empty" }
  | { kind: "standard_webhooks" }
  | { kind: "split_headers"; digests: string[]; sha256Prefixed: boolean }
  | { kind: "unrecognized" }
  | { kind: "exa"; timestamps: string[]; signatures: string[] };

const HEADER_LINE = /^([A-Za-z][A-Za-z0-9_-]*)\s*:\s*(.*)$/s;
// Standard Webhooks / Svix: space-separated `v1,<base64>` (or `v1a,<base64>` for asymmetric keys).
const STANDARD_WEBHOOKS_VALUE = /^v1a?,[A-Za-z0-9+/_-]+={0,2}(\s+v1a?,[A-Za-z0-9+/_-]+={0,2})*$/;
const STANDARD_WEBHOOKS_NAMES = new Set(["webhook-signature", "svix-signature"]);
// A hex digest with no `t=` next to it: the signature of a scheme that carries the timestamp elsewhere,
// bare or GitHub-style `sha256=<hex>` (X-Hub-Signature-256), which home-made signers often copy.
const HEX_DIGEST = /^(sha256=)?([0-9a-f]{64})$/i;

interface HeaderLine {
  name: string | null;
  value: string;
}

function splitHeaderLine(line: string): HeaderLine {
  const match = HEADER_LINE.exec(line);
  if (!match) return { name: null, value: line };
  return { name: (match[1] ?? "").toLowerCase(), value: match[2] ?? "" };
}

function stripQuotes(value: string): string {
  const quoted = /^(["'])(.*)\1$/s.exec(value);
  return quoted ? (quoted[2] ?? "").trim() : value;
}

/** Prefers the `Exa-Signature` line when several header lines were pasted together. */
function pickSignatureLine(header: string): HeaderLine {
  const lines = header
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map(splitHeaderLine);
  const chosen =
    lines.find((line) => line.name === "exa-signature") ??
    lines.find((line) => line.name?.includes("signature")) ??
    lines[0];
  return chosen ? { name: chosen.name, value: stripQuotes(chosen.value.trim()) } : { name: null, value: "" };
}

export function parseSignatureHeader(header: string): ParsedSignatureHeader {
  const { name, value } = pickSignatureLine(header);
  if (value === "") return { kind: "empty" };
  if ((name !== null && STANDARD_WEBHOOKS_NAMES.has(name)) || STANDARD_WEBHOOKS_VALUE.test(value)) {
    return { kind: "standard_webhooks" };
  }

  const timestamps: string[] = [];
  const signatures: string[] = [];
  const digests: string[] = [];
  let sha256Prefixed = false;
  for (const part of value.split(",")) {
    const field = part.trim();
    const equals = field.indexOf("=");
    const key = equals === -1 ? "" : field.slice(0, equals).trim().toLowerCase();
    const fieldValue = equals === -1 ? field : field.slice(equals + 1).trim();
    if (key === "t") timestamps.push(fieldValue);
    else if (key === "v1") signatures.push(fieldValue);
    else {
      const digest = HEX_DIGEST.exec(field) ?? HEX_DIGEST.exec(fieldValue);
      if (digest) {
        digests.push(digest[2] ?? "");
        sha256Prefixed ||= digest[1] !== undefined;
      }
    }
  }

  if (timestamps.length > 0 || signatures.length > 0) return { kind: "exa", timestamps, signatures };
  if (digests.length > 0 || name === "x-exa-signature") return { kind: "split_headers", digests, sha256Prefixed };
  return { kind: "unrecognized" };
}
