// The PostgreSQL engine through node-postgres (pg), for hosts that run several replicas on one database. Loaded
// on first open. Errors from pg may carry the connection's parameters (its password): never log them whole.
import type { Pool, PoolClient } from "pg";
import { numberedPlaceholders, type Queryer, type Row, type SqlDriver } from "./driver.js";

/** A down or unreachable server fails the open within this, instead of hanging the first tool call. */
const CONNECT_TIMEOUT_MS = 5_000;
/** The advisory lock that serialises migrations across replicas (any constant; "exawhk" in ASCII). */
const MIGRATION_LOCK = 0x657861776b;

export async function openPostgres(url: string, location: string): Promise<SqlDriver> {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 10_000,
    application_name: "exa-webhooks-mcp",
  });
  // An idle connection the server drops (restart, failover) is reported here; the pool discards it and the
  // next query connects anew. Without a listener the error would end the process.
  pool.on("error", () => {});
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return postgresDriver(pool, location);
}

function queryerOf(target: Pool | PoolClient): Queryer {
  return {
    async all(sql, params = []) {
      return (await target.query(numberedPlaceholders(sql), params as unknown[])).rows as Row[];
    },
    async run(sql, params = []) {
      return (await target.query(numberedPlaceholders(sql), params as unknown[])).rowCount ?? 0;
    },
    async hasTable(name) {
      const { rows } = await target.query("SELECT to_regclass($1) IS NOT NULL AS present", [name]);
      return rows[0]?.present === true;
    },
  };
}

function postgresDriver(pool: Pool, location: string): SqlDriver {
  return {
    engine: "postgres",
    location,
    ...queryerOf(pool),
    async exclusive(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        // The lock is taken before the transaction, not inside it: a transaction that starts after the wait
        // sees the tables another replica just created (one begun before it could keep a stale catalog view
        // and fail with "relation already exists").
        await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
        try {
          await client.query("BEGIN");
          const result = await work(queryerOf(client));
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {});
          throw error;
        } finally {
          await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
        }
      } catch (error) {
        broken = error as Error;
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
