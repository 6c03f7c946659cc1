// Why no store opened, as a phrase a caller finishes its own line with: "redeliveries are not remembered
// because <notRememberedBecause(u)>". The detail is one line and carries no secret (Postgres URLs are redacted).
import type { StoreUnavailable } from "./types.js";

const BECAUSE: Record<StoreUnavailable["reason"], (u: StoreUnavailable) => string> = {
  "no-sqlite": () => `this Node (${process.version}) has no node:sqlite`,
  unwritable: (u) => `the state file ${u.location} cannot be written (${u.detail})`,
  corrupt: (u) => `the state file ${u.location} is not a readable database (${u.detail}); it is kept as is`,
  "newer-schema": (u) => `the store at ${u.location} was written by a newer exa-webhooks-mcp (${u.detail})`,
  "postgres-unreachable": (u) => `PostgreSQL at ${u.location} cannot be reached (${u.detail})`,
  failed: (u) => `the store at ${u.location} could not open (${u.detail})`,
};

/** e.g. "this Node (v20.19.0) has no node:sqlite. Run on Node 22.13 or newer, or pass --store postgres://…". */
export function notRememberedBecause(unavailable: StoreUnavailable): string {
  return `${BECAUSE[unavailable.reason](unavailable)}. ${unavailable.remedy}`;
}
