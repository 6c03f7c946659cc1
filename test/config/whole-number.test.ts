// The whole-number settings (EXA_TIMEOUT_MS and the like) are read by hand so the server starts without building
// a zod schema; this holds the hand check to what `z.coerce.number().int().min(1)` accepts, on seeded inputs:
// the value a setting gets and whether the server warns about it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { loadConfig } from "../../src/config.js";

const SEED = Number(process.env.WHOLE_NUMBER_SEED ?? Date.now() % 2_147_483_647);
console.log(`whole-number property seed: ${SEED} (rerun with WHOLE_NUMBER_SEED=${SEED})`);

/** What the setting read as before: zod's coercing whole-number schema. */
const zodWholeNumber = z.coerce.number().int().min(1);
const TIMEOUT = { fallback: 30_000, max: 600_000 };

function readByZod(raw: string): { value: number; warned: boolean } {
  const text = raw.trim();
  if (!text) return { value: TIMEOUT.fallback, warned: false };
  const parsed = zodWholeNumber.safeParse(text);
  if (!parsed.success) return { value: TIMEOUT.fallback, warned: true };
  return parsed.data > TIMEOUT.max ? { value: TIMEOUT.max, warned: true } : { value: parsed.data, warned: false };
}

function readByConfig(raw: string): { value: number; warned: boolean } {
  const warnings: string[] = [];
  const config = loadConfig({ EXA_TIMEOUT_MS: raw }, {}, (warning) => warnings.push(warning));
  return { value: config.timeoutMs, warned: warnings.length > 0 };
}

/** Strings a person or a launcher might put in the variable, and the edges of Number()'s grammar. */
const rawSetting = fc.oneof(
  fc.integer({ min: -5, max: 700_000 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }).map(String),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[ \t]*[+-]?(0[xbo])?[0-9a-f._e+-]{0,10}[ \t\n]*$/),
  fc.constantFrom("0x10", "0b11", "0o17", "1e3", "1E3", "5.", ".5", "2.0", "+7", "-0", "Infinity", "NaN", "1_000"),
  fc.constantFrom("9007199254740991", "9007199254740992", " 42 ", "\t12\n", "١٢", "12px", "0", ""),
);

describe("whole-number settings", () => {
  it("agree with zod's coerce.number().int().min(1) on seeded inputs", () => {
    fc.assert(
      fc.property(rawSetting, (raw) => {
        expect(readByConfig(raw), JSON.stringify(raw)).toEqual(readByZod(raw));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("the seeded inputs reach every outcome: taken, capped, refused and unset", () => {
    const outcomes = new Set(
      fc.sample(rawSetting, { seed: SEED, numRuns: 2000 }).map((raw) => {
        const read = readByZod(raw);
        if (!raw.trim()) return "unset";
        if (!read.warned) return "taken";
        return read.value === TIMEOUT.max ? "capped" : "refused";
      }),
    );
    expect([...outcomes].sort()).toEqual(["capped", "refused", "taken", "unset"]);
  });
});
