// The redelivery ledger on SQL: one row per claim of (account, webhook, event, target), numbered by `seq`.
// The unique key makes a claim atomic across processes: of two inserts of the same next seq, one wins.
import { randomUUID } from "node:crypto";
import type { ClaimOptions, ClaimResult, Ledger, LedgerEntry, LedgerKey, RecoveredEvent } from "../types.js";
import { placeholders, type Queryer, type Row, toNumber } from "./driver.js";

/** Rounds of "someone else took that seq, look again" before giving up (each round, someone made progress). */
const CLAIM_ROUNDS = 8;
/** IN lists are cut so no engine meets its bound-parameter limit. */
const IN_CHUNK = 500;

const KEY_WHERE = "account = ? AND webhook_id = ? AND event_id = ? AND target = ?";

export function sqlLedger(db: Queryer, defaultHolder: string): Ledger {
  const keyParams = (key: LedgerKey) => [key.account, key.webhookId, key.eventId, key.target];
  const latest = async (key: LedgerKey) =>
    (await db.all(`SELECT * FROM deliveries WHERE ${KEY_WHERE} ORDER BY seq DESC LIMIT 1`, keyParams(key)))[0];
  const newestAccepted = async (key: LedgerKey) =>
    (
      await db.all(
        `SELECT * FROM deliveries WHERE ${KEY_WHERE} AND accepted = 1 ORDER BY recorded_at DESC LIMIT 1`,
        keyParams(key),
      )
    )[0];

  /**
   * The first claim of a key in one statement: seq 1 where the key has no row yet. A redelivery's events are
   * mostly new to the ledger, and on PostgreSQL this saves a round trip before each POST. Nothing inserted
   * (a row exists, or a concurrent claim took seq 1) leaves it to the full claim below.
   */
  async function firstClaim(key: LedgerKey, holder: string): Promise<ClaimResult | undefined> {
    const claimId = randomUUID();
    const inserted = await db.all(
      `INSERT INTO deliveries (id, account, webhook_id, event_id, target, seq, holder, claimed_at)
       SELECT ?, ?, ?, ?, ?, 1, ?, CAST(? AS BIGINT)
       WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE ${KEY_WHERE})
       ON CONFLICT DO NOTHING RETURNING id`,
      [claimId, ...keyParams(key), holder, Date.now(), ...keyParams(key)],
    );
    return inserted.length ? { kind: "claimed", claimId } : undefined;
  }

  async function claim(
    key: LedgerKey,
    { force = false, holder = defaultHolder }: ClaimOptions = {},
  ): Promise<ClaimResult> {
    const first = await firstClaim(key, holder);
    if (first) return first;
    for (let round = 0; round < CLAIM_ROUNDS; round++) {
      const last = await latest(key);
      if (last && !force) {
        if (last.recorded_at === null) return { kind: "outcome-unknown", entry: entryOf(last) };
        const accepted = await newestAccepted(key);
        if (accepted) return { kind: "already-accepted", entry: entryOf(accepted) };
      }
      const claimId = randomUUID();
      const inserted = await db.all(
        `INSERT INTO deliveries (id, account, webhook_id, event_id, target, seq, holder, claimed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
        [claimId, ...keyParams(key), (last ? toNumber(last.seq) : 0) + 1, holder, Date.now()],
      );
      if (inserted.length) return { kind: "claimed", claimId };
    }
    throw new Error(`could not claim ${key.eventId}: ${CLAIM_ROUNDS} concurrent claims in a row`);
  }

  async function entries(account: string, webhookId: string, eventIds?: readonly string[]): Promise<LedgerEntry[]> {
    const latestOnly = `seq = (SELECT MAX(seq) FROM deliveries AS newer WHERE newer.account = deliveries.account
      AND newer.webhook_id = deliveries.webhook_id AND newer.event_id = deliveries.event_id
      AND newer.target = deliveries.target)`;
    const base = `SELECT * FROM deliveries WHERE account = ? AND webhook_id = ? AND ${latestOnly}`;
    if (eventIds === undefined) {
      return (await db.all(`${base} ORDER BY claimed_at DESC`, [account, webhookId])).map(entryOf);
    }
    const rows: Row[] = [];
    for (let start = 0; start < eventIds.length; start += IN_CHUNK) {
      const chunk = eventIds.slice(start, start + IN_CHUNK);
      rows.push(
        ...(await db.all(`${base} AND event_id IN (${placeholders(chunk.length)})`, [account, webhookId, ...chunk])),
      );
    }
    return rows.map(entryOf).sort((a, b) => b.claimedAt.getTime() - a.claimedAt.getTime());
  }

  async function accepted(account: string, webhookId: string, target?: string): Promise<RecoveredEvent[]> {
    const rows = await db.all(
      `SELECT event_id, target, status, recorded_at FROM deliveries
       WHERE account = ? AND webhook_id = ? AND accepted = 1${target === undefined ? "" : " AND target = ?"}
       ORDER BY recorded_at DESC`,
      target === undefined ? [account, webhookId] : [account, webhookId, target],
    );
    const seen = new Set<string>();
    const events: RecoveredEvent[] = [];
    for (const row of rows) {
      const eventId = String(row.event_id);
      if (seen.has(eventId)) continue;
      seen.add(eventId);
      events.push({
        eventId,
        target: String(row.target),
        status: toNumber(row.status),
        acceptedAt: new Date(toNumber(row.recorded_at)),
      });
    }
    return events;
  }

  return {
    claim,
    async record(claimId, outcome) {
      const accepted = outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;
      await db.run(
        `UPDATE deliveries SET recorded_at = ?, status = ?, category = ?, latency_ms = ?, timed_out = ?, accepted = ?
         WHERE id = ? AND recorded_at IS NULL`,
        [
          Date.now(),
          outcome.status ?? null,
          outcome.category,
          Math.round(outcome.latencyMs),
          outcome.timedOut ? 1 : 0,
          accepted ? 1 : 0,
          claimId,
        ],
      );
    },
    async release(claimId) {
      await db.run("DELETE FROM deliveries WHERE id = ? AND recorded_at IS NULL", [claimId]);
    },
    entries,
    acceptedAt: (account, webhookId, target) => accepted(account, webhookId, target),
    async unrecorded(account, webhookId) {
      return (await entries(account, webhookId)).filter((entry) => entry.outcome === undefined);
    },
    recovered: (account, webhookId) => accepted(account, webhookId),
  };
}

function entryOf(row: Row): LedgerEntry {
  const recorded = row.recorded_at !== null && row.recorded_at !== undefined;
  return {
    account: String(row.account),
    webhookId: String(row.webhook_id),
    eventId: String(row.event_id),
    target: String(row.target),
    claimId: String(row.id),
    claimedAt: new Date(toNumber(row.claimed_at)),
    holder: String(row.holder),
    recordedAt: recorded ? new Date(toNumber(row.recorded_at)) : undefined,
    outcome: recorded
      ? {
          status: row.status === null ? undefined : toNumber(row.status),
          category: String(row.category),
          latencyMs: toNumber(row.latency_ms),
          timedOut: toNumber(row.timed_out) === 1,
        }
      : undefined,
  };
}
