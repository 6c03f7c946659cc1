// Brings a store to SCHEMA_VERSION at open, forward only. A store from a newer version is refused before
// anything is written to it (the version is read first, outside any write).
import { randomBytes } from "node:crypto";
import { type Queryer, type SqlDriver, toNumber } from "./driver.js";
import { MIGRATIONS, SCHEMA_VERSION } from "./schema.js";

export class NewerSchemaError extends Error {
  constructor(readonly found: number) {
    super(`schema version ${found}; this version reads up to ${SCHEMA_VERSION}`);
  }
}

export async function readSchemaVersion(db: Queryer): Promise<number> {
  if (!(await db.hasTable("meta"))) return 0;
  const [row] = await db.all("SELECT value FROM meta WHERE key = ?", ["schema_version"]);
  return row ? toNumber(row.value) : 0;
}

/** Returns the store's per-store salt (created with the schema). */
export async function migrate(db: SqlDriver): Promise<{ salt: string }> {
  const before = await readSchemaVersion(db);
  if (before > SCHEMA_VERSION) throw new NewerSchemaError(before);
  if (before < SCHEMA_VERSION) {
    await db.exclusive(async (tx) => {
      // Another process may have migrated while we waited for the lock.
      const current = await readSchemaVersion(tx);
      if (current > SCHEMA_VERSION) throw new NewerSchemaError(current);
      for (let version = current; version < SCHEMA_VERSION; version++) {
        for (const statement of MIGRATIONS[version] ?? []) await tx.run(statement);
      }
      await tx.run("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", [
        "account_salt",
        randomBytes(32).toString("hex"),
      ]);
      await tx.run(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        ["schema_version", String(SCHEMA_VERSION)],
      );
    });
  }
  const [salt] = await db.all("SELECT value FROM meta WHERE key = ?", ["account_salt"]);
  return { salt: String(salt?.value) };
}
