// The last line of defence for secrets: every string the server sends (tool text and structuredContent, keys
// included; resource contents; error messages; log data) passes through one Redactor at its channel's choke
// point, so the API key and webhook secrets never leave, whatever a peer echoed into the data, and in whatever
// spelling: percent-encoded in either case, JSON-escaped (`\/`, `\u0061`), as HTML entities, or base64.

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
      const found = match.find(JSON.stringify(value) ?? "");
      if (!found) return value;
      return redactDeep(value, found) as T;
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
  /** The replacer for the secrets `text` holds in any spelling (or the start of one cut by "…"); none: undefined. */
  find(text: string): Replacer | undefined;
}

type Replacer = (text: string) => string;

function buildMatcher(secrets: readonly string[]): Matcher | undefined {
  if (!secrets.length) return undefined;
  // The probe reads the text with every spelling undone, so it looks for plain secrets only; the replacer is
  // then built for the few secrets found, and matches each of their characters in any spelling.
  const ownerOf = new Map<string, string>();
  const cutOwnerOf = new Map<string, string>();
  for (const secret of secrets) {
    for (const form of [secret, ...base64Cores(secret)]) ownerOf.set(form, secret);
    for (const piece of cutPieces(secret)) cutOwnerOf.set(piece, secret);
  }
  const plain = literalPattern([...ownerOf.keys()]);
  const cut = literalPattern([...cutOwnerOf.keys()]);
  const probe = new RegExp(`${plain}${cut ? `|(?:${cut})${BEFORE_CUT}` : ""}`, "g");
  // The last replacer, for the same secrets found again (a page that echoes one secret in many fields).
  let last: { key: string; replace: Replacer } | undefined;
  return {
    find(text) {
      const hits = new Set<string>();
      for (const [hit] of decodeSpellings(text).matchAll(probe)) {
        const owner = ownerOf.get(hit) ?? cutOwnerOf.get(hit);
        if (owner) hits.add(owner);
      }
      if (!hits.size) return undefined;
      const key = [...hits].join("\u0000");
      if (last?.key !== key) last = { key, replace: replacerFor([...hits]) };
      return last.replace;
    },
  };
}

/** Every spelling of every secret in `hits`, its base64 forms, and a start of it cut by "…", in any spelling. */
function replacerFor(hits: readonly string[]): Replacer {
  const alternatives: string[] = [];
  for (const secret of hits) {
    const chars = [...secret].map(anySpelling);
    alternatives.push(chars.join(""), cutStartPattern(chars));
  }
  alternatives.push(...hits.flatMap(base64Cores).map(escapeRegExp));
  const pattern = new RegExp(alternatives.join("|"), "g");
  return (text) => text.replace(pattern, REDACTED);
}

/** The first MIN_CUT_PIECE or more characters (not all of them) right before a "…": one nested pattern. */
function cutStartPattern(chars: readonly string[]): string {
  let rest = "";
  for (let index = Math.min(chars.length - 1, 64) - 1; index >= MIN_CUT_PIECE; index--) {
    rest = `(?:${chars[index]}${rest})?`;
  }
  return `${chars.slice(0, MIN_CUT_PIECE).join("")}${rest}${BEFORE_CUT}`;
}

/** The "…" of a cut, maybe after the first half of a spelled character ("&#11…", "%7…", "\\u00…"). */
const BEFORE_CUT = "(?=(?:&#?[xX]?[0-9a-zA-Z]{0,8}|%[0-9a-fA-F]?|\\\\+(?:u[0-9a-fA-F]{0,3})?)?…)";

/** A text cut mid-secret ("…" right after its first characters) leaks that start: those starts, longest first. */
function cutPieces(secret: string): string[] {
  const pieces: string[] = [];
  for (let length = Math.min(secret.length - 1, 64); length >= MIN_CUT_PIECE; length--) {
    pieces.push(secret.slice(0, length));
  }
  return pieces;
}

function literalPattern(texts: readonly string[]): string {
  return [...new Set(texts)]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join("|");
}

// Named HTML entities for the characters a secret or key may hold.
const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  sol: "/",
  plus: "+",
  equals: "=",
  lowbar: "_",
  hyphen: "-",
  period: ".",
  colon: ":",
  num: "#",
  percnt: "%",
};
const ENTITY_NAMES = Object.keys(ENTITIES).join("|");
/** One encoded character: percent (either case), a JSON \u escape, an HTML entity, or a backslash-escaped one. */
const SPELLING = new RegExp(
  `%([0-9a-fA-F]{2})|\\\\+u([0-9a-fA-F]{4})|&#0*(\\d{1,7});|&#[xX]0*([0-9a-fA-F]{1,6});|&(${ENTITY_NAMES});|\\\\+(?=[^u])`,
  "g",
);

/** `text` with every spelling undone, for the probe only (what is sent is replaced in its own spelling). */
function decodeSpellings(text: string): string {
  if (!/[%\\&]/.test(text)) return text;
  return text.replace(SPELLING, (whole, percent, unicode, decimal, hex, name) => {
    const code =
      (percent ?? unicode)
        ? Number.parseInt(percent ?? unicode, 16)
        : decimal
          ? Number(decimal)
          : hex
            ? Number.parseInt(hex, 16)
            : undefined;
    if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    return name ? (ENTITIES[name] ?? whole) : "";
  });
}

/** A pattern for one character of a secret in any spelling the probe undoes, escaped or not by backslashes. */
function anySpelling(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = code.toString(16);
  const eitherCase = (digits: string) =>
    [...digits].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join("");
  const forms = [escapeRegExp(char), `&#0*${code};`, `&#[xX]0*${eitherCase(hex)};`];
  for (const [name, value] of Object.entries(ENTITIES)) if (value === char) forms.push(`&${name};`);
  const escaped = `\\\\*(?:${forms.join("|")})`;
  const encoded = [`\\\\+u${eitherCase(hex.padStart(4, "0"))}`];
  if (code < 0x80) encoded.push(`%${eitherCase(hex.padStart(2, "0"))}`);
  return `(?:${escaped}|${encoded.join("|")})`;
}

/**
 * The base64 (and base64url) characters that only the secret's bytes decide, at each of the three offsets it
 * may start at inside an encoded value (e.g. "Basic " + base64("user:" + secret)).
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const cores: string[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const start = [0, 2, 3][offset] ?? 0;
    const end = Math.floor((offset + bytes.length) / 3) * 4;
    const core = encoded.slice(start, end);
    if (core.length >= MIN_BASE64_CORE) cores.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return cores;
}

/** Shorter base64 runs could stand in unrelated data by chance. */
const MIN_BASE64_CORE = 8;

function redactDeep(value: unknown, replace: Replacer): unknown {
  if (typeof value === "string") return replace(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, replace));
  // fromEntries defines own properties: a "__proto__" key stays a key and cannot reach the prototype.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [replace(key), redactDeep(item, replace)]));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
