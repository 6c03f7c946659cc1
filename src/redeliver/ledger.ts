// A redelivery's memory (the store's ledger): what is already known of the events before a run (delivered at
// this target, outcome unknown), and around each POST the claim before it and the record after it. A store
// error is retried while it is transient; a store that stays down ends the claims, so nothing is sent that
// the ledger could not claim, and a record that cannot be written is reported (its claim stays: "unknown").
import { sleep } from "../exa/retry.js";
import { type Ledger, type LedgerEntry, type LedgerOutcome, StoreOperationError } from "../store/types.js";

/** Waits between tries of one store call: a restarted Postgres drops pooled connections; the next try reconnects. */
const CLAIM_RETRY_MS = [100, 400];
/** A POST already went out: its record is worth waiting longer for. */
const RECORD_RETRY_MS = [100, 400, 1_000];

/** Where one run's rows go. */
export interface LedgerScope {
  ledger: Ledger;
  account: string;
  webhookId: string;
  target: string;
}

/** An event the ledger already settled for this target: not sent again without force. */
export type KnownDelivery =
  | { eventId: string; kind: "delivered"; at: Date; target: string }
  /**
   * Claimed and never recorded (the run was killed between its claim and its record), or recorded as timed
   * out: the receiver may have processed it, so neither resending nor calling it missed is safe.
   */
  | { eventId: string; kind: "unknown"; since: Date; timedOut: boolean };

/**
 * What the ledger knows of these events at this target: accepted (2xx) there, or an outcome unknown. Events
 * recorded as failed are not listed: they may be sent again.
 */
export async function knownDeliveries(scope: LedgerScope, eventIds: readonly string[]): Promise<KnownDelivery[]> {
  const { ledger, account, webhookId, target } = scope;
  const wanted = new Set(eventIds);
  const known = new Map<string, KnownDelivery>();
  for (const accepted of await ledger.acceptedAt(account, webhookId, target)) {
    if (wanted.has(accepted.eventId))
      known.set(accepted.eventId, { eventId: accepted.eventId, kind: "delivered", at: accepted.acceptedAt, target });
  }
  for (const entry of await ledger.entries(account, webhookId, eventIds)) {
    if (entry.target !== target || known.has(entry.eventId)) continue;
    const unknown = unknownOutcome(entry);
    if (unknown) known.set(entry.eventId, unknown);
  }
  return eventIds.flatMap((id) => known.get(id) ?? []);
}

function unknownOutcome(entry: LedgerEntry): KnownDelivery | undefined {
  if (entry.outcome === undefined)
    return { eventId: entry.eventId, kind: "unknown", since: entry.claimedAt, timedOut: false };
  if (entry.outcome.timedOut)
    return { eventId: entry.eventId, kind: "unknown", since: entry.claimedAt, timedOut: true };
  return undefined;
}

/** The claim before one POST. */
export type Claim =
  | { kind: "claimed"; record(outcome: LedgerOutcome): Promise<void> }
  /** Another run got there first (delivered, or in flight / died): not sent. */
  | { kind: "known"; known: KnownDelivery }
  /** The store failed: not sent. */
  | { kind: "not-claimed" };

export interface RunClaims {
  claim(eventId: string): Promise<Claim>;
  /** The store error that ended the claims, when one did. */
  storeFailure(): string | undefined;
  /** Events POSTed whose outcome could not be recorded (their claim stays: "outcome unknown" next time). */
  unrecorded(): string[];
}

export function runClaims(scope: LedgerScope, options: { force: boolean }): RunClaims {
  let failure: string | undefined;
  const unrecorded: string[] = [];
  return {
    async claim(eventId) {
      if (failure !== undefined) return { kind: "not-claimed" };
      const key = { account: scope.account, webhookId: scope.webhookId, eventId, target: scope.target };
      let result: Awaited<ReturnType<Ledger["claim"]>>;
      try {
        result = await retried(() => scope.ledger.claim(key, options), CLAIM_RETRY_MS);
      } catch (error) {
        failure ??= storeErrorText(error);
        return { kind: "not-claimed" };
      }
      if (result.kind === "already-accepted") {
        const at = result.entry.recordedAt ?? result.entry.claimedAt;
        return { kind: "known", known: { eventId, kind: "delivered", at, target: scope.target } };
      }
      if (result.kind === "outcome-unknown") {
        return { kind: "known", known: { eventId, kind: "unknown", since: result.entry.claimedAt, timedOut: false } };
      }
      const { claimId } = result;
      return {
        kind: "claimed",
        async record(outcome) {
          try {
            await retried(() => scope.ledger.record(claimId, outcome), RECORD_RETRY_MS);
          } catch (error) {
            failure ??= storeErrorText(error);
            unrecorded.push(eventId);
          }
        },
      };
    },
    storeFailure: () => failure,
    unrecorded: () => [...unrecorded],
  };
}

/** The store's own one-line message (it carries no secret); anything else is a bug worth its message too. */
export function storeErrorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function retried<T>(call: () => Promise<T>, waits: readonly number[]): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const wait = waits[attempt];
      if (!(error instanceof StoreOperationError) || !error.transient || wait === undefined) throw error;
      await sleep(wait);
    }
  }
}
