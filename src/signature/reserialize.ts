// Guesses at the raw body a delivery was signed over, given a payload that may have been parsed and
// re-serialized on its way to the verifier (pretty-printed, keys sorted, Python-style spacing, ASCII
// escapes, a trailing newline added or lost). Used only to name the cause after a mismatch.

// Order of an Exa Event's top-level keys as Exa sends them; lets us undo a re-serialization that sorted them.
const EXA_EVENT_KEY_ORDER = ["id", "object", "type", "data", "createdAt"];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Object.fromEntries defines own properties, so keys like "__proto__" or "constructor" survive intact.
function sortKeysDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isObject(value)) return value;
  const keys = Object.keys(value).sort();
  return Object.fromEntries(keys.map((key) => [key, sortKeysDeep(value[key] ?? null)]));
}

function exaEventKeyOrder(value: Json): Json {
  if (!isObject(value)) return value;
  const known = EXA_EVENT_KEY_ORDER.filter((key) => Object.hasOwn(value, key));
  const rest = Object.keys(value).filter((key) => !EXA_EVENT_KEY_ORDER.includes(key));
  return Object.fromEntries([...known, ...rest].map((key) => [key, value[key] ?? null]));
}

/** Python's json.dumps default separators: `", "` and `": "`. */
function stringifySpaced(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(stringifySpaced).join(", ")}]`;
  if (isObject(value)) {
    const entries = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${stringifySpaced(item)}`);
    return `{${entries.join(", ")}}`;
  }
  return JSON.stringify(value);
}

/** Python's ensure_ascii: non-ASCII only occurs inside JSON strings, so a global replace is safe. */
function escapeNonAscii(text: string): string {
  return text.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export interface BodyCandidate {
  text: string;
  /** How the candidate differs from the payload, phrased to follow "the payload is". */
  label: string;
}

const FORMATS: ReadonlyArray<{ label: string; format: (value: Json) => string }> = [
  { label: "compact JSON", format: (value) => JSON.stringify(value) },
  { label: "JSON indented with 2 spaces", format: (value) => JSON.stringify(value, null, 2) },
  { label: "JSON indented with 4 spaces", format: (value) => JSON.stringify(value, null, 4) },
  { label: "JSON indented with tabs", format: (value) => JSON.stringify(value, null, "\t") },
  { label: "JSON with Python-style ', ' and ': ' separators", format: stringifySpaced },
];

// Deeply nested JSON can overflow the recursive serializers; a diagnosis must never crash the verifier.
function serializeSafely(format: (value: Json) => string, value: Json): string | null {
  try {
    return format(value);
  } catch {
    return null;
  }
}

function* textVariants(payload: string): Generator<BodyCandidate> {
  const trimmed = payload.trim();
  if (trimmed !== payload) yield { text: trimmed, label: "trimmed of surrounding whitespace" };
  yield { text: `${trimmed}\n`, label: "given a trailing newline" };
  if (payload.includes("\r\n")) {
    yield { text: payload.replace(/\r\n/g, "\n"), label: "converted from CRLF to LF line endings" };
  } else if (payload.includes("\n")) {
    yield { text: payload.replace(/\n/g, "\r\n"), label: "converted from LF to CRLF line endings" };
  }
}

function* jsonVariants(payload: string): Generator<BodyCandidate> {
  let parsed: Json;
  try {
    parsed = JSON.parse(payload) as Json;
  } catch {
    return;
  }
  if (typeof parsed !== "object" || parsed === null) return;
  const hasNonAscii = /[\u007f-\uffff]/.test(payload);
  const orderings: Array<{ label: string; value: Json }> = [{ label: "", value: parsed }];
  try {
    orderings.push(
      { label: " in Exa's key order (id, object, type, data, createdAt)", value: exaEventKeyOrder(parsed) },
      { label: " with keys sorted", value: sortKeysDeep(parsed) },
    );
  } catch {
    // Too deeply nested to reorder; the as-parsed ordering is still worth trying.
  }
  for (const ordering of orderings) {
    for (const { label, format } of FORMATS) {
      const text = serializeSafely(format, ordering.value);
      if (text === null) continue;
      const base = `re-serialized as ${label}${ordering.label}`;
      yield { text, label: base };
      yield { text: `${text}\n`, label: `${base} plus a trailing newline` };
      if (hasNonAscii) yield { text: escapeNonAscii(text), label: `${base} with non-ASCII escaped as \\uXXXX` };
    }
  }
}

function* allVariants(payload: string): Generator<BodyCandidate> {
  yield* textVariants(payload);
  yield* jsonVariants(payload);
}

/**
 * Distinct candidate raw bodies, cheapest and most likely first. Stops once `byteBudget` characters have
 * been produced so a multi-megabyte payload costs a bounded number of HMACs rather than dozens.
 */
export function* reserializationCandidates(payload: string, byteBudget = 64 * 1024 * 1024): Generator<BodyCandidate> {
  const seen = new Set<string>([payload]);
  let spent = 0;
  for (const candidate of allVariants(payload)) {
    if (seen.has(candidate.text)) continue;
    seen.add(candidate.text);
    spent += candidate.text.length;
    if (spent > byteBudget) return;
    yield candidate;
  }
}
