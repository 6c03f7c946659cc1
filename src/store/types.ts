// The one Store interface: what listen, watch, redeliver_events and diagnose_failures may remember, whatever
// engine (SQLite, PostgreSQL, memory) sits behind it. Nothing outside src/store/ knows SQL or the engine.
//
// Stored: ids, event types, target URLs, status codes, categories, latencies, times, counts, and a local
// forwarding secret minted by `listen` (not an Exa secret). Never stored: the Exa API key (rows carry an HMAC
// of it), Exa webhook secrets, event payloads, receiver bodies (a failure group's cleaned sample of at most 300
// characters is kept, as diagnose_failures shows it).

export type StoreEngine = "sqlite" | "postgres" | "memory";

/** Where the store lives, as chosen by --store / EXA_WEBHOOKS_STORE (see resolveStoreSpec). */
export type StoreSpec = { engine: "sqlite"; path: string } | { engine: "postgres"; url: string } | { engine: "memory" };

/** Why no store could open: callers render "redeliveries are not remembered because …" from it. */
export type StoreUnavailableReason =
  | "no-sqlite" // this Node has no node:sqlite (Node 20, or 22 before 22.13)
  | "unwritable" // the state directory or file cannot be written (read-only disk, permissions)
  | "corrupt" // the file is not a SQLite database; it is named and kept, never touched
  | "newer-schema" // written by a newer version of this server; refused, nothing written
  | "postgres-unreachable" // connection refused, timed out, authentication failed
  | "failed"; // anything else, with its one-line detail

export interface StoreUnavailable {
  reason: StoreUnavailableReason;
  engine: StoreEngine;
  /** The file path, the Postgres URL without its password, or "memory". */
  location: string;
  /** One line, free of secrets, e.g. "file is not a database" or "ECONNREFUSED 127.0.0.1:5432". */
  detail: string;
  /** The next step a person can take, e.g. "Move /x/state.db aside to start a fresh store." */
  remedy: string;
}

export type StoreOpening = { ok: true; store: Store } | { ok: false; unavailable: StoreUnavailable };

/** The store as one caller sees it: the store and the account id its rows are keyed by, or why there is none. */
export type AccountMemory = { ok: true; store: Store; account: string } | { ok: false; unavailable: StoreUnavailable };

/**
 * A store operation that failed after the store opened (Postgres restarted, disk full): thrown by every Store
 * method. `transient` is true when the same call may work a moment later (a dropped connection).
 */
export class StoreOperationError extends Error {
  override readonly name = "StoreOperationError";
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// ---- Redelivery ledger (redeliver_events, listen) ----

/** One delivery slot: this event, to this target, for this account's webhook. */
export interface LedgerKey {
  account: string;
  webhookId: string;
  eventId: string;
  /** The receiver URL the POST goes to, as sent. */
  target: string;
}

/** What is known about the latest claim of a LedgerKey. */
export interface LedgerEntry extends LedgerKey {
  claimId: string;
  claimedAt: Date;
  /** Who claimed it, e.g. "redeliver_events pid 123 on host" (no secrets). */
  holder: string;
  /** Undefined while claimed but not recorded: in flight, or the process died ("outcome unknown"). */
  outcome: LedgerOutcome | undefined;
  recordedAt: Date | undefined;
}

export interface LedgerOutcome {
  /** HTTP status when a response came back; undefined when none did. */
  status: number | undefined;
  /** The failure taxonomy's category (e.g. "delivered", "timeout", "server_error"); free text to the store. */
  category: string;
  latencyMs: number;
  /** The POST hit its deadline (the receiver may still have processed it). */
  timedOut: boolean;
}

export type ClaimResult =
  /** Yours: POST, then record(claimId, outcome). */
  | { kind: "claimed"; claimId: string }
  /** Accepted (2xx) at this target already: do not send again (unless force). */
  | { kind: "already-accepted"; entry: LedgerEntry }
  /** Claimed and never recorded: in flight elsewhere, or its process died. Do not resend without force. */
  | { kind: "outcome-unknown"; entry: LedgerEntry };

export interface ClaimOptions {
  /** Claim even when accepted or unrecorded: a new row, the old ones kept. */
  force?: boolean;
  holder?: string;
}

/** An event accepted at some target: what diagnose_failures calls "recovered". */
export interface RecoveredEvent {
  eventId: string;
  target: string;
  status: number;
  acceptedAt: Date;
}

export interface Ledger {
  /**
   * Atomic across processes and replicas: of concurrent claims on one key, exactly one gets "claimed". A key
   * whose latest row failed (recorded, not 2xx) is claimable again (a new row).
   */
  claim(key: LedgerKey, options?: ClaimOptions): Promise<ClaimResult>;
  /** Records the outcome of a claim; a second record of the same claim is ignored (first one wins). */
  record(claimId: string, outcome: LedgerOutcome): Promise<void>;
  /**
   * Withdraws a claim that was never sent under (a listener claims the next event while the current one is in
   * flight, and may stop first). A recorded claim stays as it is.
   */
  release(claimId: string): Promise<void>;
  /** The latest entry per (event, target) of a webhook, optionally only these events. */
  entries(account: string, webhookId: string, eventIds?: readonly string[]): Promise<LedgerEntry[]>;
  /** Accepted at this exact target, with when: the events not to send there again. */
  acceptedAt(account: string, webhookId: string, target: string): Promise<RecoveredEvent[]>;
  /** Claimed but never recorded ("outcome unknown"), newest first. */
  unrecorded(account: string, webhookId: string): Promise<LedgerEntry[]>;
  /** Events accepted at any target, one per event (its latest acceptance), newest first. */
  recovered(account: string, webhookId: string): Promise<RecoveredEvent[]>;
}

// ---- Leases (one listen per cursor, one watch replica) ----

export interface LeaseHeld {
  name: string;
  holder: string;
  expiresAt: Date;
}

export type LeaseResult =
  | { acquired: true; token: string; expiresAt: Date }
  /** Someone else holds it: say who, and until when. */
  | { acquired: false; heldBy: LeaseHeld };

export interface Leases {
  /** Takes the lease when free or expired; a holder renews with its token instead of acquiring again. */
  acquire(account: string, name: string, holder: string, ttlMs: number): Promise<LeaseResult>;
  /** Extends a lease we hold; false when it was lost (expired and taken). */
  renew(account: string, name: string, token: string, ttlMs: number): Promise<boolean>;
  release(account: string, name: string, token: string): Promise<void>;
}

// ---- Listen cursors ----

/** (account, types, target): types are sorted and de-duplicated by the store. */
export interface CursorKey {
  account: string;
  types: readonly string[];
  target: string;
}

export interface ListenCursor {
  /** The newest createdAt forwarded (Exa's ISO string, as Exa wrote it). */
  watermark: string;
  /** Ids at exactly that createdAt already forwarded (createdAfter is inclusive). */
  idsAtWatermark: string[];
  updatedAt: Date;
}

export interface Cursors {
  get(key: CursorKey): Promise<ListenCursor | undefined>;
  save(key: CursorKey, cursor: { watermark: string; idsAtWatermark: readonly string[] }): Promise<void>;
  /** The cursor's local forwarding secret: read, or minted with `mint` once (atomically) and kept. */
  forwardingSecret(key: CursorKey, mint: () => string): Promise<string>;
  /** A stable name for the cursor, e.g. for its lease ("listen:<hash>"). */
  leaseName(key: CursorKey): string;
}

// ---- Watch / health history ----

export interface HourlyBucket {
  /** Start of the hour (UTC). */
  hour: Date;
  /** The taxonomy's category of the attempts counted ("delivered" for successes is fine). */
  category: string;
  delivered: number;
  failed: number;
}

export interface VerdictTransition {
  at: Date;
  from: string;
  to: string;
  /** A short structured reason, e.g. "12 consecutive failures, last success 3 h ago". */
  cause: string;
}

export interface ScanCheckpointKey {
  account: string;
  webhookId: string;
  eventType: string;
  /** e.g. "delivered" | "failed" (the attempt chain the scan reads). */
  outcome: string;
}

export interface ScanCheckpoint {
  /** The newest attempt already folded in. */
  newestAttemptId: string;
  newestAttemptAt: string;
  /** The aggregate it fed, as the scanner serialises it (JSON-compatible). */
  aggregate: unknown;
  updatedAt: Date;
}

export interface History {
  /** mode "add" increments existing counts (each attempt folded once); "replace" overwrites them. */
  putBuckets(
    account: string,
    webhookId: string,
    buckets: readonly HourlyBucket[],
    mode: "add" | "replace",
  ): Promise<void>;
  buckets(account: string, webhookId: string, since: Date): Promise<HourlyBucket[]>;
  addTransition(account: string, webhookId: string, transition: VerdictTransition): Promise<void>;
  /** Oldest first. */
  transitions(account: string, webhookId: string, since: Date): Promise<VerdictTransition[]>;
  lastTransition(account: string, webhookId: string): Promise<VerdictTransition | undefined>;
  getCheckpoint(key: ScanCheckpointKey): Promise<ScanCheckpoint | undefined>;
  /** The checkpoint without its aggregate: cheap, to see whether what a process kept is still what is stored. */
  getCheckpointHead(key: ScanCheckpointKey): Promise<Omit<ScanCheckpoint, "aggregate"> | undefined>;
  putCheckpoint(key: ScanCheckpointKey, checkpoint: Omit<ScanCheckpoint, "updatedAt">): Promise<void>;
  /** A webhook gone (deleted): forget its checkpoints, buckets and transitions. */
  forgetWebhook(account: string, webhookId: string): Promise<void>;
}

// ---- The whole store ----

export interface StoreDescription {
  engine: StoreEngine;
  location: string;
  schemaVersion: number;
  /** Rows per table, e.g. { deliveries: 18, leases: 0, … }. */
  rows: Record<string, number>;
}

export interface Store {
  readonly engine: StoreEngine;
  /** The file path, the Postgres URL without its password, or "memory". */
  readonly location: string;
  /** HMAC(per-store random salt, apiKey) in hex: the account id rows are keyed by. The key is never stored. */
  accountId(apiKey: string): string;
  readonly ledger: Ledger;
  readonly leases: Leases;
  readonly cursors: Cursors;
  readonly history: History;
  /** Deletes rows older than `days` (default 90; also run once at open). Returns rows deleted per table. */
  prune(days?: number): Promise<Record<string, number>>;
  describe(): Promise<StoreDescription>;
  close(): Promise<void>;
}

/**
 * The lazy handle the server holds: nothing opens at start; the first `open()` opens (once, shared by
 * concurrent callers) and later calls get the same result.
 */
export interface StoreAccess {
  readonly spec: StoreSpec;
  open(): Promise<StoreOpening>;
  close(): Promise<void>;
}

export const DEFAULT_RETENTION_DAYS = 90;
