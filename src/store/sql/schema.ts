// The schema, as forward-only migrations: index i brings a store from version i to i+1. Never edit a shipped
// step; append one. Times are epoch milliseconds (BIGINT), flags 0/1, so both engines read the same values.

export const MIGRATIONS: readonly (readonly string[])[] = [
  [
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    `CREATE TABLE deliveries (
      id TEXT PRIMARY KEY,
      account TEXT NOT NULL, webhook_id TEXT NOT NULL, event_id TEXT NOT NULL, target TEXT NOT NULL,
      seq INTEGER NOT NULL,
      holder TEXT NOT NULL,
      claimed_at BIGINT NOT NULL,
      recorded_at BIGINT, status INTEGER, category TEXT, latency_ms INTEGER, timed_out INTEGER,
      accepted INTEGER NOT NULL DEFAULT 0,
      UNIQUE (account, webhook_id, event_id, target, seq)
    )`,
    "CREATE INDEX deliveries_by_webhook ON deliveries (account, webhook_id, claimed_at)",
    "CREATE INDEX deliveries_by_age ON deliveries (claimed_at)",
    `CREATE TABLE leases (
      account TEXT NOT NULL, name TEXT NOT NULL, holder TEXT NOT NULL, token TEXT NOT NULL,
      expires_at BIGINT NOT NULL,
      PRIMARY KEY (account, name)
    )`,
    `CREATE TABLE listen_cursors (
      account TEXT NOT NULL, cursor_key TEXT NOT NULL, types TEXT NOT NULL, target TEXT NOT NULL,
      watermark TEXT, ids_at_watermark TEXT NOT NULL DEFAULT '[]', forwarding_secret TEXT,
      updated_at BIGINT NOT NULL,
      PRIMARY KEY (account, cursor_key)
    )`,
    `CREATE TABLE health_buckets (
      account TEXT NOT NULL, webhook_id TEXT NOT NULL, hour BIGINT NOT NULL, category TEXT NOT NULL,
      delivered INTEGER NOT NULL, failed INTEGER NOT NULL,
      PRIMARY KEY (account, webhook_id, hour, category)
    )`,
    `CREATE TABLE verdict_transitions (
      id TEXT PRIMARY KEY,
      account TEXT NOT NULL, webhook_id TEXT NOT NULL, at BIGINT NOT NULL,
      from_state TEXT NOT NULL, to_state TEXT NOT NULL, cause TEXT NOT NULL
    )`,
    "CREATE INDEX verdict_transitions_by_webhook ON verdict_transitions (account, webhook_id, at)",
    `CREATE TABLE scan_checkpoints (
      account TEXT NOT NULL, webhook_id TEXT NOT NULL, event_type TEXT NOT NULL, outcome TEXT NOT NULL,
      newest_attempt_id TEXT NOT NULL, newest_attempt_at TEXT NOT NULL, aggregate TEXT NOT NULL,
      updated_at BIGINT NOT NULL,
      PRIMARY KEY (account, webhook_id, event_type, outcome)
    )`,
  ],
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The tables `describe()` counts and `prune()` trims, with the column that dates a row. */
export const DATED_TABLES = {
  deliveries: "claimed_at",
  leases: "expires_at",
  listen_cursors: "updated_at",
  health_buckets: "hour",
  verdict_transitions: "at",
  scan_checkpoints: "updated_at",
} as const;
