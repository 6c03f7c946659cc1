// The ledger claim of the next event, taken while the current event's POST waits for its answer, so the
// store's write and the receiver's work overlap instead of adding up (a backfill sends thousands in a row).
// Still one POST at a time, in order, each claimed before it goes out. A claim taken ahead and not used (the
// listener stopped first) is released, so the ledger never shows an event in flight that was never sent.
import type { ListedEvent } from "./cursor.js";
import { claimForward, type ForwardClaim, type Forwarder, releaseClaim } from "./forward.js";

export interface ClaimsAhead {
  /** The claim of `event`: the one taken ahead when it was for this event, else one taken now. */
  take(event: ListedEvent): Promise<ForwardClaim>;
  /** Claims `event` on the next turn of the event loop, once the POST started now has been written. */
  prepare(event: ListedEvent): void;
  /** Withdraws a claim taken ahead and not taken since; a store failure here leaves it "outcome unknown". */
  release(): Promise<void>;
}

export function claimsAhead(forwarder: Forwarder): ClaimsAhead {
  let ahead: { event: ListedEvent; claim: Promise<ForwardClaim> } | undefined;
  const withdraw = async (claim: Promise<ForwardClaim>) => {
    const taken = await claim.catch(() => undefined);
    if (taken) await releaseClaim(forwarder, taken).catch(() => {});
  };
  return {
    async take(event) {
      const held = ahead;
      ahead = undefined;
      if (held?.event === event) return held.claim;
      if (held) await withdraw(held.claim);
      return claimForward(forwarder, event);
    },
    prepare(event) {
      // node:sqlite runs a statement on the thread: started now, it would run before the POST is written.
      const claim = new Promise<ForwardClaim>((resolve, reject) =>
        setImmediate(() => claimForward(forwarder, event).then(resolve, reject)),
      );
      // Observed when taken; one withdrawn unused has nothing to report.
      claim.catch(() => {});
      ahead = { event, claim };
    },
    async release() {
      const held = ahead;
      ahead = undefined;
      if (held) await withdraw(held.claim);
    },
  };
}
