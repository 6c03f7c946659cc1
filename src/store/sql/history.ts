// Watch and health history on SQL: hourly delivered/failed buckets by category, verdict transitions, and the
// incremental scan's checkpoints (the newest attempt folded in, and the aggregate it fed, as JSON).
import { randomUUID } from "node:crypto";
import type { History, ScanCheckpointKey } from "../types.js";
import { type Queryer, toNumber } from "./driver.js";

const HOUR_MS = 3_600_000;
const CHECKPOINT_WHERE = "account = ? AND webhook_id = ? AND event_type = ? AND outcome = ?";

const checkpointParams = (key: ScanCheckpointKey) => [key.account, key.webhookId, key.eventType, key.outcome];

export function sqlHistory(db: Queryer): History {
  return {
    async putBuckets(account, webhookId, buckets, mode) {
      const merge =
        mode === "add"
          ? "delivered = health_buckets.delivered + excluded.delivered, failed = health_buckets.failed + excluded.failed"
          : "delivered = excluded.delivered, failed = excluded.failed";
      for (const bucket of buckets) {
        await db.run(
          `INSERT INTO health_buckets (account, webhook_id, hour, category, delivered, failed) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (account, webhook_id, hour, category) DO UPDATE SET ${merge}`,
          [
            account,
            webhookId,
            Math.floor(bucket.hour.getTime() / HOUR_MS) * HOUR_MS,
            bucket.category,
            bucket.delivered,
            bucket.failed,
          ],
        );
      }
    },
    async buckets(account, webhookId, since) {
      const rows = await db.all(
        `SELECT hour, category, delivered, failed FROM health_buckets
         WHERE account = ? AND webhook_id = ? AND hour >= ? ORDER BY hour, category`,
        [account, webhookId, Math.floor(since.getTime() / HOUR_MS) * HOUR_MS],
      );
      return rows.map((row) => ({
        hour: new Date(toNumber(row.hour)),
        category: String(row.category),
        delivered: toNumber(row.delivered),
        failed: toNumber(row.failed),
      }));
    },
    async addTransition(account, webhookId, transition) {
      await db.run(
        `INSERT INTO verdict_transitions (id, account, webhook_id, at, from_state, to_state, cause)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [randomUUID(), account, webhookId, transition.at.getTime(), transition.from, transition.to, transition.cause],
      );
    },
    async transitions(account, webhookId, since) {
      const rows = await db.all(
        `SELECT at, from_state, to_state, cause FROM verdict_transitions
         WHERE account = ? AND webhook_id = ? AND at >= ? ORDER BY at, id`,
        [account, webhookId, since.getTime()],
      );
      return rows.map(transitionOf);
    },
    async lastTransition(account, webhookId) {
      const [row] = await db.all(
        `SELECT at, from_state, to_state, cause FROM verdict_transitions
         WHERE account = ? AND webhook_id = ? ORDER BY at DESC, id DESC LIMIT 1`,
        [account, webhookId],
      );
      return row ? transitionOf(row) : undefined;
    },
    async getCheckpoint(key) {
      const [row] = await db.all(
        `SELECT newest_attempt_id, newest_attempt_at, aggregate, updated_at FROM scan_checkpoints WHERE ${CHECKPOINT_WHERE}`,
        checkpointParams(key),
      );
      if (!row) return undefined;
      return {
        newestAttemptId: String(row.newest_attempt_id),
        newestAttemptAt: String(row.newest_attempt_at),
        aggregate: JSON.parse(String(row.aggregate)) as unknown,
        updatedAt: new Date(toNumber(row.updated_at)),
      };
    },
    async getCheckpointHead(key) {
      const [row] = await db.all(
        `SELECT newest_attempt_id, newest_attempt_at, updated_at FROM scan_checkpoints WHERE ${CHECKPOINT_WHERE}`,
        checkpointParams(key),
      );
      if (!row) return undefined;
      return {
        newestAttemptId: String(row.newest_attempt_id),
        newestAttemptAt: String(row.newest_attempt_at),
        updatedAt: new Date(toNumber(row.updated_at)),
      };
    },
    async putCheckpoint(key, checkpoint) {
      await db.run(
        `INSERT INTO scan_checkpoints
           (account, webhook_id, event_type, outcome, newest_attempt_id, newest_attempt_at, aggregate, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (account, webhook_id, event_type, outcome) DO UPDATE SET
           newest_attempt_id = excluded.newest_attempt_id, newest_attempt_at = excluded.newest_attempt_at,
           aggregate = excluded.aggregate, updated_at = excluded.updated_at`,
        [
          ...checkpointParams(key),
          checkpoint.newestAttemptId,
          checkpoint.newestAttemptAt,
          JSON.stringify(checkpoint.aggregate),
          Date.now(),
        ],
      );
    },
    async forgetWebhook(account, webhookId) {
      for (const table of ["scan_checkpoints", "health_buckets", "verdict_transitions"]) {
        await db.run(`DELETE FROM ${table} WHERE account = ? AND webhook_id = ?`, [account, webhookId]);
      }
    },
  };
}

function transitionOf(row: Record<string, unknown>) {
  return {
    at: new Date(toNumber(row.at)),
    from: String(row.from_state),
    to: String(row.to_state),
    cause: String(row.cause),
  };
}
