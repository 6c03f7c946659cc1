// Opens a store from its spec: loads the engine (lazily), migrates, prunes rows past retention. Never throws:
// a store that cannot open is a StoreUnavailable naming why and what to do.
import { redactedLocation } from "./spec.js";
import type { SqlDriver } from "./sql/driver.js";
import { describeEngineError } from "./sql/guard.js";
import { migrate, NewerSchemaError } from "./sql/migrate.js";
import { sqlStore } from "./sql/store.js";
import type { StoreOpening, StoreSpec, StoreUnavailable } from "./types.js";

export async function openStore(spec: StoreSpec): Promise<StoreOpening> {
  const location = redactedLocation(spec);
  let driver: SqlDriver | undefined;
  try {
    driver = await openDriver(spec, location);
    const { salt } = await migrate(driver);
    const store = sqlStore(driver, salt);
    await store.prune();
    return { ok: true, store };
  } catch (error) {
    await driver?.close().catch(() => {});
    return { ok: false, unavailable: unavailableFrom(spec, location, error) };
  }
}

async function openDriver(spec: StoreSpec, location: string): Promise<SqlDriver> {
  switch (spec.engine) {
    case "memory":
      return (await import("./sql/sqlite.js")).openSqlite(":memory:");
    case "sqlite":
      return (await import("./sql/sqlite.js")).openSqlite(spec.path);
    case "postgres":
      return (await import("./sql/postgres.js")).openPostgres(spec.url, location);
  }
}

/** SQLite result codes (primary, low byte) that say what went wrong with the file. */
const SQLITE_READONLY = 8;
const SQLITE_CANTOPEN = 14;
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;
// ENOENT: a recursive mkdir on a read-only mount reports the parent as missing.
const UNWRITABLE_ERRNO = new Set(["EACCES", "EPERM", "EROFS", "ENOTDIR", "ENOSPC", "ENOENT"]);
const UNREACHABLE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|28P01|28000|3D000|57P03)$/;

function unavailableFrom(spec: StoreSpec, location: string, error: unknown): StoreUnavailable {
  const base = { engine: spec.engine, location };
  if (error instanceof NewerSchemaError) {
    return {
      ...base,
      reason: "newer-schema",
      detail: error.message,
      remedy: "Upgrade exa-webhooks-mcp, or pass --store with another location; this one was left untouched.",
    };
  }
  const { line, code } = describeEngineError(error);
  if ((error as Error)?.name === "SqliteMissingError" || code === "ERR_UNKNOWN_BUILTIN_MODULE") {
    return {
      ...base,
      reason: "no-sqlite",
      detail: line,
      remedy: "Run on Node 22.13 or newer (Node 24 recommended), or pass --store postgres://…",
    };
  }
  const sqliteCode = Number(/:(\d+)$/.exec(code)?.[1] ?? Number.NaN);
  if (spec.engine !== "postgres") {
    if (sqliteCode === SQLITE_NOTADB || sqliteCode === SQLITE_CORRUPT) {
      return {
        ...base,
        reason: "corrupt",
        detail: line,
        remedy: `Move ${location} aside (keep it if you want to inspect it) to start a fresh store.`,
      };
    }
    if (sqliteCode === SQLITE_READONLY || sqliteCode === SQLITE_CANTOPEN || UNWRITABLE_ERRNO.has(code)) {
      return {
        ...base,
        reason: "unwritable",
        detail: line,
        remedy: "Make the directory writable, or set --store / EXA_WEBHOOKS_STORE to a writable path.",
      };
    }
  }
  if (spec.engine === "postgres" && (UNREACHABLE.test(code) || /timeout|terminated/i.test(line))) {
    return {
      ...base,
      reason: "postgres-unreachable",
      detail: line,
      remedy: "Check that the server is up and the URL, user and password are right.",
    };
  }
  return { ...base, reason: "failed", detail: line, remedy: "See the detail; --store memory runs without a file." };
}
