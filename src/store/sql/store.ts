// A Store over any SqlDriver: the account id from the per-store salt, the four parts, pruning and describe().
import { createHmac } from "node:crypto";
import { hostname } from "node:os";
import { DEFAULT_RETENTION_DAYS, type Store } from "../types.js";
import { sqlCursors } from "./cursors.js";
import { type SqlDriver, toNumber } from "./driver.js";
import { guard, guarded } from "./guard.js";
import { sqlHistory } from "./history.js";
import { sqlLeases } from "./leases.js";
import { sqlLedger } from "./ledger.js";
import { DATED_TABLES, SCHEMA_VERSION } from "./schema.js";

const DAY_MS = 86_400_000;

export function sqlStore(driver: SqlDriver, salt: string): Store {
  const db = guarded(driver);
  const prune = async (days = DEFAULT_RETENTION_DAYS) => {
    const cutoff = Date.now() - days * DAY_MS;
    const deleted: Record<string, number> = {};
    for (const [table, column] of Object.entries(DATED_TABLES)) {
      // Leases date by expiry: an expired one is gone now, whatever `days` says.
      const before = table === "leases" ? Date.now() : cutoff;
      deleted[table] = await db.run(`DELETE FROM ${table} WHERE ${column} < ?`, [before]);
    }
    return deleted;
  };
  return {
    engine: driver.engine,
    location: driver.location,
    accountId: (apiKey) => createHmac("sha256", salt).update(apiKey).digest("hex").slice(0, 32),
    ledger: sqlLedger(db, `pid ${process.pid} on ${hostname()}`),
    leases: sqlLeases(db),
    cursors: sqlCursors(db),
    history: sqlHistory(db),
    prune,
    async describe() {
      const rows: Record<string, number> = {};
      for (const table of Object.keys(DATED_TABLES)) {
        const [row] = await db.all(`SELECT COUNT(*) AS n FROM ${table}`);
        rows[table] = toNumber(row?.n);
      }
      return { engine: driver.engine, location: driver.location, schemaVersion: SCHEMA_VERSION, rows };
    },
    close: () => guard(() => driver.close()),
  };
}
