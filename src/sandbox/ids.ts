// Identifiers shaped like Exa's: a readable prefix plus URL-safe random characters. Random by default; the
// demo account's seeded history draws from a seeded source instead, so its ids (and secrets) are the same in
// every run and a webhook id copied from one session works in the next. Anything created after the seed is
// random again: a receiver that dedupes by event id must never see an id from an earlier run.
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// Bytes at or above this are rejected so every character is equally likely (256 is not a multiple of 62).
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/** Where the store and the event-data generator get their ids. */
export interface IdSource {
  webhookId(): string;
  eventId(): string;
  attemptId(): string;
  /** A signing secret; Exa's format is not documented, so this follows the common `whsec_` convention. */
  webhookSecret(): string;
  /** An id for a fabricated resource inside an event's `data` (webset_…, monitor_…). */
  resourceId(prefix: string): string;
}

type ByteSource = () => number;

function alphanumeric(nextByte: ByteSource, length: number): string {
  let out = "";
  while (out.length < length) {
    const byte = nextByte();
    if (byte < UNBIASED_LIMIT) out += ALPHABET[byte % ALPHABET.length];
  }
  return out;
}

function hex(nextByte: ByteSource, bytes: number): string {
  let out = "";
  for (let i = 0; i < bytes; i++) out += nextByte().toString(16).padStart(2, "0");
  return out;
}

/** One byte stream per kind of id, so how many attempts a run makes cannot shift the ids of its events. */
function idSource(streamOf: (kind: string) => ByteSource): IdSource {
  const webhook = streamOf("webhook");
  const event = streamOf("event");
  const attempt = streamOf("attempt");
  const secret = streamOf("secret");
  const resource = streamOf("resource");
  return {
    webhookId: () => `webhook_${alphanumeric(webhook, 24).toLowerCase()}`,
    eventId: () => `event_${alphanumeric(event, 24).toLowerCase()}`,
    attemptId: () => `webhook_attempt_${alphanumeric(attempt, 24).toLowerCase()}`,
    webhookSecret: () => `whsec_${hex(secret, 16)}`,
    resourceId: (prefix) => `${prefix}_${alphanumeric(resource, 24).toLowerCase()}`,
  };
}

// Seeding creates 100k+ ids; one randomBytes call per id would dominate, so draw from a refilled pool.
let pool = randomBytes(0);
let poolOffset = 0;
const cryptoByte: ByteSource = () => {
  if (poolOffset >= pool.length) {
    pool = randomBytes(8192);
    poolOffset = 0;
  }
  return pool[poolOffset++] ?? 0;
};

export const randomIds: IdSource = idSource(() => cryptoByte);

/** Reproducible ids: the same seed gives the same sequence of each kind. Not for anything secret. */
export function seededIds(seed: number): IdSource {
  return idSource((kind) => {
    let state = seed >>> 0;
    for (const char of kind) state = Math.imul(state ^ char.charCodeAt(0), 0x01000193) >>> 0; // FNV-1a step
    return () => {
      // mulberry32: a 32-bit state, plenty for ids that only need to look random and never collide in a demo.
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) & 0xff;
    };
  });
}

export const newRequestId = (): string => `req_${alphanumeric(cryptoByte, 20)}`;
