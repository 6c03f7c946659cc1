// Random identifiers shaped like Exa's: a readable prefix plus URL-safe random characters.
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// Bytes at or above this are rejected so every character is equally likely (256 is not a multiple of 62).
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

// Seeding creates 100k+ ids; one randomBytes call per id would dominate, so draw from a refilled pool.
let pool = randomBytes(0);
let poolOffset = 0;

function nextByte(): number {
  if (poolOffset >= pool.length) {
    pool = randomBytes(8192);
    poolOffset = 0;
  }
  return pool[poolOffset++] ?? 0;
}

function randomAlphanumeric(length: number): string {
  let out = "";
  while (out.length < length) {
    const byte = nextByte();
    if (byte < UNBIASED_LIMIT) out += ALPHABET[byte % ALPHABET.length];
  }
  return out;
}

export const newWebhookId = (): string => `webhook_${randomAlphanumeric(24).toLowerCase()}`;
export const newAttemptId = (): string => `webhook_attempt_${randomAlphanumeric(24).toLowerCase()}`;
export const newEventId = (): string => `event_${randomAlphanumeric(24).toLowerCase()}`;
export const newRequestId = (): string => `req_${randomAlphanumeric(20)}`;
/** A signing secret; Exa's format is not documented, so this follows the common `whsec_` convention. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(16).toString("hex")}`;
/** An id for a fabricated resource inside an event's `data` (webset_…, monitor_…). */
export const newResourceId = (prefix: string): string => `${prefix}_${randomAlphanumeric(24).toLowerCase()}`;
