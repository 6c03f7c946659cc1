// The one redactor, driven by seeded random secrets and echoes: a signing secret echoed back in any spelling a
// receiver or a gateway might use (percent-encoding in either case, JSON `\/` and `\u` escapes, HTML entities,
// base64 at any offset) never comes out readable, and text that holds no secret comes out unchanged.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED } from "../../src/text/redact.js";

const SEED = Number(process.env.REDACT_SEED ?? Date.now() % 2_147_483_647);
console.log(`redact property seed: ${SEED} (rerun with REDACT_SEED=${SEED})`);
const RUNS = { seed: SEED, numRuns: 200 };

const SECRET_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=_-.";
const secretArb = fc
  .array(fc.constantFrom(...SECRET_CHARS), { minLength: 12, maxLength: 48 })
  .map((chars) => `whsec_${chars.join("")}`);
// Around the echo: words, punctuation and markup, never a character of the secret alphabet next to it.
const surroundArb = fc.constantFrom("", " ", "token=", '{"secret":"', "<p>", "Basic ", "\n", "… ");

const hex = (char: string) => (char.codePointAt(0) ?? 0).toString(16).padStart(2, "0");

/** The spellings a receiver echo can take, each with how to read it back. */
const SPELLINGS: Record<string, (secret: string) => string> = {
  "lower-case percent, every character": (secret) => [...secret].map((c) => `%${hex(c)}`).join(""),
  "lower-case percent, encodeURIComponent's choice": (secret) =>
    encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (encoded) => encoded.toLowerCase()),
  "upper-case percent": encodeURIComponent,
  "JSON \\/": (secret) => JSON.stringify(secret).slice(1, -1).replace(/\//g, "\\/"),
  "JSON \\u escapes": (secret) => [...secret].map((c) => `\\u${hex(c).padStart(4, "0")}`).join(""),
  "HTML decimal entities": (secret) => [...secret].map((c) => `&#${c.codePointAt(0)};`).join(""),
  "HTML hex entities": (secret) => [...secret].map((c) => `&#x${hex(c).toUpperCase()};`).join(""),
  "HTML named entities": (secret) =>
    secret.replace(/\//g, "&sol;").replace(/\+/g, "&plus;").replace(/=/g, "&equals;").replace(/_/g, "&lowbar;"),
};

/** Every spelling above undone, so a leak in any of them shows as the plain secret. */
function readBack(text: string): string {
  return text
    .replace(/%([0-9a-f]{2})/gi, (_, code) => String.fromCharCode(Number.parseInt(code, 16)))
    .replace(/\\u([0-9a-f]{4})/gi, (_, code) => String.fromCharCode(Number.parseInt(code, 16)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code) => String.fromCharCode(Number.parseInt(code, 16)))
    .replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
    .replace(/&sol;/g, "/")
    .replace(/&plus;/g, "+")
    .replace(/&equals;/g, "=")
    .replace(/&lowbar;/g, "_")
    .replace(/\\\//g, "/");
}

describe("a learned signing secret, echoed in another spelling", () => {
  for (const [name, spell] of Object.entries(SPELLINGS)) {
    it(`${name}: redacted in strings, keys and nested values`, () => {
      fc.assert(
        fc.property(secretArb, surroundArb, surroundArb, (secret, before, after) => {
          const redactor = createRedactor();
          redactor.learn(secret);
          const echo = `${before}${spell(secret)}${after}`;
          const out = redactor.redact({ body: echo, [echo]: [echo] });
          const json = JSON.stringify(out);
          expect(readBack(json)).not.toContain(secret);
          expect(out.body).toContain(REDACTED);
        }),
        RUNS,
      );
    });
  }

  it("base64 of the secret inside a longer value, at every offset: redacted", () => {
    fc.assert(
      fc.property(secretArb, fc.string({ maxLength: 7 }), fc.string({ maxLength: 7 }), (secret, prefix, suffix) => {
        const redactor = createRedactor();
        redactor.learn(secret);
        for (const encode of [(b: Buffer) => b.toString("base64"), (b: Buffer) => b.toString("base64url")]) {
          const echo = encode(Buffer.from(`${prefix}${secret}${suffix}`));
          const out = redactor.redact(`Authorization: Basic ${echo}`);
          expect(out).toContain(REDACTED);
          const token = out.slice("Authorization: Basic ".length);
          expect(Buffer.from(token, "base64").toString("latin1")).not.toContain(secret);
        }
      }),
      RUNS,
    );
  });

  it("a text cut anywhere inside a spelled secret, even mid-character, hides the start it shows", () => {
    const spellings = Object.entries(SPELLINGS);
    fc.assert(
      fc.property(
        secretArb,
        fc.nat(spellings.length - 1),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (secret, which, at) => {
          const [name, spell] = spellings[which] as [string, (s: string) => string];
          const redactor = createRedactor();
          redactor.learn(secret);
          const spelled = spell(secret);
          const from = spell(secret.slice(0, 4)).length;
          const end = from + Math.floor(at * (spelled.length - from));
          const out = redactor.redact(`body: ${spelled.slice(0, end)}…`);
          expect(out, name).toMatch(/^body: \[redacted\]\S{0,12}…$/);
        },
      ),
      RUNS,
    );
  });

  it("text without the secret, in any spelling, comes out unchanged", () => {
    fc.assert(
      fc.property(secretArb, fc.string({ maxLength: 200 }), (secret, text) => {
        fc.pre(!readBack(text).includes(secret.slice(0, 4)));
        const redactor = createRedactor();
        redactor.learn(secret);
        expect(redactor.redact({ text, percent: encodeURIComponent(text) })).toEqual({
          text,
          percent: encodeURIComponent(text),
        });
      }),
      RUNS,
    );
  });
});
