// The last line of defence for secrets: every string the server sends (tool text and structuredContent, keys
// included; resource contents; error messages; log data) passes through one Redactor at its channel's choke
// point, so the API key and webhook secrets never leave, whatever a peer echoed into the data.

export const REDACTED = "[redacted]";

/** Shorter learned secrets are not hidden: redacting a 3-letter string would garble every answer. */
const MIN_LEARNED_SECRET = 8;
/** Webhook secrets remembered; the oldest are forgotten past this (each create adds one). */
const MAX_LEARNED_SECRETS = 1000;
/** The shortest piece of a secret that counts as a leak when a cut ("…") ends the text right after it. */
const MIN_CUT_PIECE = 4;

export interface Redactor {
  /** `value` with every secret replaced, deep: strings, array items, object keys and values. */
  redact<T>(value: T): T;
  /** Hide `secret` from every later output (a webhook secret, after its one create response showed it). */
  learn(secret: string | null | undefined): void;
}

/** `apiKeys`: the server's key and, over HTTP, the key the request brought (X-Exa-Api-Key); unset ones skipped. */
export function createRedactor(...apiKeys: (string | undefined)[]): Redactor {
  const fixed = apiKeys.filter((key): key is string => Boolean(key));
  const learned = new Set<string>();
  let matcher: Matcher | undefined;
  const current = () => {
    matcher ??= buildMatcher([...fixed, ...learned]);
    return matcher;
  };
  return {
    redact<T>(value: T): T {
      const match = current();
      if (!match) return value;
      // One serialization decides whether there is anything to do: most results hold no secret at all.
      if (!match.test(JSON.stringify(value) ?? "")) return value;
      return redactDeep(value, match) as T;
    },
    learn(secret) {
      if (!secret || secret.length < MIN_LEARNED_SECRET || learned.has(secret)) return;
      learned.add(secret);
      if (learned.size > MAX_LEARNED_SECRETS) learned.delete(learned.values().next().value as string);
      matcher = undefined;
    },
  };
}

interface Matcher {
  /** Whether `text` holds a secret (or the start of one cut by "…"). */
  test(text: string): boolean;
  replace(text: string): string;
}

function buildMatcher(secrets: readonly string[]): Matcher | undefined {
  if (!secrets.length) return undefined;
  // Each secret as written, JSON-escaped (inside serialized JSON) and percent-encoded (inside a URL).
  const forms = new Set<string>();
  for (const secret of secrets) {
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  // A text cut mid-secret ("…" right after its first characters) leaks that start: hide it too.
  const pieces = new Set<string>();
  for (const secret of secrets) {
    for (let length = Math.min(secret.length - 1, 64); length >= MIN_CUT_PIECE; length--) {
      pieces.add(secret.slice(0, length));
    }
  }
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const cutPieces = [...pieces].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const source = cutPieces.length
    ? `${alternatives.join("|")}|(?:${cutPieces.join("|")})(?=…)`
    : alternatives.join("|");
  const pattern = new RegExp(source, "g");
  const probe = new RegExp(source);
  return {
    test: (text) => probe.test(text),
    replace: (text) => text.replace(pattern, REDACTED),
  };
}

function redactDeep(value: unknown, match: Matcher): unknown {
  if (typeof value === "string") return match.replace(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, match));
  // fromEntries defines own properties: a "__proto__" key stays a key and cannot reach the prototype.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [match.replace(key), redactDeep(item, match)]));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
