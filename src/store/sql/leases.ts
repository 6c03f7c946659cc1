// Leases on SQL: one upsert that takes a row when it is free, expired, or already ours (by token), so two
// processes racing for it cannot both win.
import { randomUUID } from "node:crypto";
import type { Leases } from "../types.js";
import { type Queryer, toNumber } from "./driver.js";

export function sqlLeases(db: Queryer): Leases {
  return {
    async acquire(account, name, holder, ttlMs) {
      const now = Date.now();
      const token = randomUUID();
      const expiresAt = now + ttlMs;
      const taken = await db.all(
        `INSERT INTO leases (account, name, holder, token, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account, name) DO UPDATE
           SET holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at
           WHERE leases.expires_at <= ?
         RETURNING token`,
        [account, name, holder, token, expiresAt, now],
      );
      if (taken.length) return { acquired: true, token, expiresAt: new Date(expiresAt) };
      const [held] = await db.all("SELECT holder, expires_at FROM leases WHERE account = ? AND name = ?", [
        account,
        name,
      ]);
      return {
        acquired: false,
        heldBy: { name, holder: String(held?.holder), expiresAt: new Date(toNumber(held?.expires_at)) },
      };
    },
    async renew(account, name, token, ttlMs) {
      const changed = await db.run("UPDATE leases SET expires_at = ? WHERE account = ? AND name = ? AND token = ?", [
        Date.now() + ttlMs,
        account,
        name,
        token,
      ]);
      return changed > 0;
    },
    async release(account, name, token) {
      await db.run("DELETE FROM leases WHERE account = ? AND name = ? AND token = ?", [account, name, token]);
    },
  };
}
