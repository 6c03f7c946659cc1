// The SQLite engine through Node's built-in node:sqlite (22.13+), loaded on first open so Node 20 starts fine.
// WAL lets readers and a writer share the file across processes; the busy timeout makes a second writer wait.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { Queryer, Row, SqlDriver } from "./driver.js";

/** Compiled statements kept per connection. */
const STATEMENTS_KEPT = 64;
/** How long a writer waits for another process's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Migrations of one file within this process, one at a time. node:sqlite is synchronous: a second connection's
 * BEGIN IMMEDIATE would block the thread on the busy timeout while the first one's transaction waits for the
 * same thread, so two opens of one path in one process would stall for the whole timeout, then fail. For the
 * same reason, every other statement on that path in this process waits while a migration runs.
 */
const exclusiveByPath = new Map<string, Promise<unknown>>();

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
  if (!memory) makeDirectory(dirname(path));
  const db = new DatabaseSync(path);
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // In WAL mode NORMAL cannot corrupt the file; a power cut (not a crash) may lose the last few commits,
    // which for a ledger means an event may be sent again: at least once, as everywhere else. FULL syncs every
    // claim and record to disk, about 8 times slower (bench/store.mjs).
    db.exec("PRAGMA synchronous = NORMAL");
    // A read before any write: a file that is not a database fails here, untouched.
    db.prepare("SELECT count(*) FROM sqlite_master").get();
  } catch (error) {
    db.close();
    throw error;
  }
  return sqliteDriver(db, memory ? "memory" : path, memory);
}

/**
 * mkdir -p, one level at a time. Node 22 and 24's `mkdirSync(…, { recursive: true })` never returns under a
 * folder that exists but takes no children (/proc): the child says ENOENT, the parent EEXIST, and it tries
 * again. Here a child still missing once its parent exists is final.
 */
function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return;
    if (code !== "ENOENT" || dirname(dir) === dir) throw error;
    makeDirectory(dirname(dir));
    mkdirSync(dir);
  }
}

function sqliteDriver(db: DatabaseSync, location: string, memory: boolean): SqlDriver {
  // Each statement is compiled once per connection: a listener's backfill runs the same few per event. The
  // cache is bounded (IN lists of every length make many texts); the least recently used one goes first.
  const statements = new Map<string, StatementSync>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (statement) statements.delete(sql);
    else statement = db.prepare(sql);
    statements.set(sql, statement);
    if (statements.size > STATEMENTS_KEPT) statements.delete(statements.keys().next().value as string);
    return statement;
  };
  const queryer: Queryer = {
    async all(sql, params = []) {
      return prepared(sql).all(...(params as SQLInputValue[])) as Row[];
    },
    async run(sql, params = []) {
      return Number(prepared(sql).run(...(params as SQLInputValue[])).changes);
    },
    async hasTable(name) {
      return prepared("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
    },
  };
  let walSet = memory;
  const afterMigrations = async () => {
    await exclusiveByPath.get(location)?.catch(() => {});
  };
  return {
    engine: memory ? "memory" : "sqlite",
    location,
    async all(sql, params) {
      await afterMigrations();
      return queryer.all(sql, params);
    },
    async run(sql, params) {
      await afterMigrations();
      return queryer.run(sql, params);
    },
    async hasTable(name) {
      await afterMigrations();
      return queryer.hasTable(name);
    },
    async exclusive(work) {
      const transaction = async () => {
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
      };
      const previous = exclusiveByPath.get(location) ?? Promise.resolve();
      const mine = previous.catch(() => {}).then(transaction);
      exclusiveByPath.set(location, mine);
      try {
        return await mine;
      } finally {
        if (exclusiveByPath.get(location) === mine) exclusiveByPath.delete(location);
      }
    },
    async close() {
      statements.clear();
      if (db.isOpen) db.close();
    },
  };
}
