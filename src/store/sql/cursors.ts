// Listen cursors on SQL, keyed by (account, sorted types, target), with the cursor's minted forwarding secret.
import { createHash } from "node:crypto";
import type { CursorKey, Cursors } from "../types.js";
import { type Queryer, toNumber } from "./driver.js";

/** The types as one canonical string: order and repeats do not make a second cursor. */
function typesOf(key: CursorKey): string {
  return [...new Set(key.types)].sort().join(",");
}

function cursorKeyOf(key: CursorKey): string {
  return createHash("sha256")
    .update(`${typesOf(key)}\n${key.target}`)
    .digest("hex")
    .slice(0, 32);
}

export function sqlCursors(db: Queryer): Cursors {
  const ensureRow = (key: CursorKey) =>
    db.run(
      `INSERT INTO listen_cursors (account, cursor_key, types, target, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account, cursor_key) DO NOTHING`,
      [key.account, cursorKeyOf(key), typesOf(key), key.target, Date.now()],
    );
  return {
    async get(key) {
      const [row] = await db.all(
        "SELECT watermark, ids_at_watermark, updated_at FROM listen_cursors WHERE account = ? AND cursor_key = ?",
        [key.account, cursorKeyOf(key)],
      );
      if (!row || row.watermark === null) return undefined;
      return {
        watermark: String(row.watermark),
        idsAtWatermark: JSON.parse(String(row.ids_at_watermark)) as string[],
        updatedAt: new Date(toNumber(row.updated_at)),
      };
    },
    async save(key, cursor) {
      await ensureRow(key);
      await db.run(
        "UPDATE listen_cursors SET watermark = ?, ids_at_watermark = ?, updated_at = ? WHERE account = ? AND cursor_key = ?",
        [cursor.watermark, JSON.stringify(cursor.idsAtWatermark), Date.now(), key.account, cursorKeyOf(key)],
      );
    },
    async forwardingSecret(key, mint) {
      await ensureRow(key);
      // Only the first writer's secret sticks; everyone then reads that one.
      await db.run(
        "UPDATE listen_cursors SET forwarding_secret = ? WHERE account = ? AND cursor_key = ? AND forwarding_secret IS NULL",
        [mint(), key.account, cursorKeyOf(key)],
      );
      const [row] = await db.all("SELECT forwarding_secret FROM listen_cursors WHERE account = ? AND cursor_key = ?", [
        key.account,
        cursorKeyOf(key),
      ]);
      return String(row?.forwarding_secret);
    },
    leaseName: (key) => `listen:${cursorKeyOf(key)}`,
  };
}
