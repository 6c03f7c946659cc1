// The SQLite engine through Node's built-in node:sqlite (22.13+), loaded on first open so Node 20 starts fine.
// WAL lets readers and a writer share the file across processes; the busy timeout makes a second writer wait.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import type { Queryer, Row, SqlDriver } from "./driver.js";

/** How long a writer waits for another process's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;

export class SqliteMissingError extends Error {
  override readonly name = "SqliteMissingError";
}

/** Node 22 prints one ExperimentalWarning on the first import of node:sqlite: drop that warning only. */
async function importSqlite(): Promise<typeof import("node:sqlite")> {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const message = typeof warning === "string" ? warning : warning.message;
    const first = rest[0];
    const type = typeof first === "string" ? first : (first as { type?: string } | undefined)?.type;
    if (type === "ExperimentalWarning" && /SQLite/i.test(message)) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return await import("node:sqlite");
  } catch (error) {
    throw new SqliteMissingError((error as Error).message, { cause: error });
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** `path` ":memory:" is the memory engine: private to this process, gone when it ends. */
export async function openSqlite(path: string): Promise<SqlDriver> {
  const { DatabaseSync } = await importSqlite();
  const memory = path === ":memory:";
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // A read before any write: a file that is not a database fails here, untouched.
    db.prepare("SELECT count(*) FROM sqlite_master").get();
  } catch (error) {
    db.close();
    throw error;
  }
  return sqliteDriver(db, memory ? "memory" : path, memory);
}

function sqliteDriver(db: DatabaseSync, location: string, memory: boolean): SqlDriver {
  const queryer: Queryer = {
    async all(sql, params = []) {
      return db.prepare(sql).all(...(params as SQLInputValue[])) as Row[];
    },
    async run(sql, params = []) {
      return Number(db.prepare(sql).run(...(params as SQLInputValue[])).changes);
    },
    async hasTable(name) {
      return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
    },
  };
  let walSet = memory;
  return {
    engine: memory ? "memory" : "sqlite",
    location,
    ...queryer,
    async exclusive(work) {
      // Set only once we write (a refused store stays byte for byte as it was).
      if (!walSet) {
        db.exec("PRAGMA journal_mode = WAL");
        walSet = true;
      }
      // IMMEDIATE takes the write lock now, so two processes migrating queue instead of deadlocking.
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = await work(queryer);
        db.exec("COMMIT");
        return result;
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };
}
