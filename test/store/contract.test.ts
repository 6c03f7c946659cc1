// The Store contract, run against every engine (memory, a SQLite file, a real PostgreSQL): the ledger's claim
// rules, leases, listen cursors, health history, accounts, pruning and describe().
import { afterAll, describe, expect, it } from "vitest";
import type { LedgerKey, Store, StoreSpec } from "../../src/store/types.js";
import { cleanupEngines, ENGINES, mustOpen } from "./engines.js";

afterAll(cleanupEngines);

const DAY_MS = 86_400_000;

describe.each(ENGINES)("store contract on $name", (engine) => {
  let spec: StoreSpec;
  const fresh = async (): Promise<Store> => {
    spec = await engine.freshSpec();
    return mustOpen(spec);
  };
  const keyOf = (store: Store, eventId = "event_1"): LedgerKey => ({
    account: store.accountId("exa-key-one"),
    webhookId: "webhook_a",
    eventId,
    target: "http://127.0.0.1:3000/hook",
  });

  it("claims a fresh key once; a second claim sees the first as outcome unknown until it is recorded", async () => {
    const store = await fresh();
    const key = keyOf(store);
    const first = await store.ledger.claim(key, { holder: "test one" });
    expect(first.kind).toBe("claimed");
    const second = await store.ledger.claim(key);
    expect(second.kind).toBe("outcome-unknown");
    if (second.kind !== "outcome-unknown" || first.kind !== "claimed") throw new Error("unreachable");
    expect(second.entry).toMatchObject({ claimId: first.claimId, holder: "test one", outcome: undefined });
    expect(await store.ledger.unrecorded(key.account, key.webhookId)).toMatchObject([{ eventId: "event_1" }]);
  });

  it("an event accepted (2xx) at a target is not claimable there again, and says when; force claims a new row", async () => {
    const store = await fresh();
    const key = keyOf(store);
    const claim = await store.ledger.claim(key);
    if (claim.kind !== "claimed") throw new Error(`expected claimed, got ${claim.kind}`);
    await store.ledger.record(claim.claimId, { status: 204, category: "delivered", latencyMs: 12.6, timedOut: false });
    const again = await store.ledger.claim(key);
    expect(again.kind).toBe("already-accepted");
    if (again.kind !== "already-accepted") throw new Error("unreachable");
    expect(again.entry.outcome).toEqual({ status: 204, category: "delivered", latencyMs: 13, timedOut: false });
    expect(again.entry.recordedAt).toBeInstanceOf(Date);
    // Another target is another slot.
    expect((await store.ledger.claim({ ...key, target: "http://127.0.0.1:4000/hook" })).kind).toBe("claimed");

    const forced = await store.ledger.claim(key, { force: true });
    expect(forced.kind).toBe("claimed");
    if (forced.kind !== "claimed") throw new Error("unreachable");
    expect(forced.claimId).not.toBe(claim.claimId);
    // A forced resend that fails does not undo the earlier acceptance.
    await store.ledger.record(forced.claimId, { status: 500, category: "server_error", latencyMs: 5, timedOut: false });
    expect((await store.ledger.claim(key)).kind).toBe("already-accepted");
    expect(await store.ledger.acceptedAt(key.account, key.webhookId, key.target)).toMatchObject([
      { eventId: "event_1", status: 204 },
    ]);
  });

  it("a recorded failure makes the key claimable again; the first record of a claim wins", async () => {
    const store = await fresh();
    const key = keyOf(store);
    const claim = await store.ledger.claim(key);
    if (claim.kind !== "claimed") throw new Error(`expected claimed, got ${claim.kind}`);
    await store.ledger.record(claim.claimId, {
      status: undefined,
      category: "timeout",
      latencyMs: 10_000,
      timedOut: true,
    });
    await store.ledger.record(claim.claimId, { status: 200, category: "delivered", latencyMs: 1, timedOut: false });
    const [entry] = await store.ledger.entries(key.account, key.webhookId);
    expect(entry?.outcome).toEqual({ status: undefined, category: "timeout", latencyMs: 10_000, timedOut: true });
    expect((await store.ledger.claim(key)).kind).toBe("claimed");
    expect(await store.ledger.recovered(key.account, key.webhookId)).toEqual([]);
  });

  it("a released claim leaves no trace and the key is claimable again; a recorded claim is not released", async () => {
    const store = await fresh();
    const key = keyOf(store);
    const claim = await store.ledger.claim(key);
    if (claim.kind !== "claimed") throw new Error(`expected claimed, got ${claim.kind}`);
    await store.ledger.release(claim.claimId);
    expect(await store.ledger.entries(key.account, key.webhookId)).toEqual([]);
    const again = await store.ledger.claim(key);
    if (again.kind !== "claimed") throw new Error(`expected claimed, got ${again.kind}`);
    await store.ledger.record(again.claimId, { status: 200, category: "delivered", latencyMs: 3, timedOut: false });
    await store.ledger.release(again.claimId);
    expect((await store.ledger.claim(key)).kind).toBe("already-accepted");
  });

  it("of 40 concurrent claims of one key, exactly one wins", async () => {
    const store = await fresh();
    const key = keyOf(store);
    const results = await Promise.all(Array.from({ length: 40 }, () => store.ledger.claim(key)));
    expect(results.filter((result) => result.kind === "claimed")).toHaveLength(1);
    expect(results.filter((result) => result.kind === "outcome-unknown")).toHaveLength(39);
  });

  it("recovered lists each accepted event once, newest first; entries filter by event ids", async () => {
    const store = await fresh();
    const account = store.accountId("exa-key-one");
    for (const eventId of ["event_1", "event_2", "event_3"]) {
      const claim = await store.ledger.claim({ ...keyOf(store, eventId) });
      if (claim.kind !== "claimed") throw new Error("expected claimed");
      if (eventId !== "event_2")
        await store.ledger.record(claim.claimId, { status: 200, category: "delivered", latencyMs: 3, timedOut: false });
      await new Promise((resolve) => setTimeout(resolve, 2)); // distinct recorded_at: order is by time
    }
    expect((await store.ledger.recovered(account, "webhook_a")).map((event) => event.eventId)).toEqual([
      "event_3",
      "event_1",
    ]);
    expect((await store.ledger.entries(account, "webhook_a", ["event_2", "event_9"])).map((e) => e.eventId)).toEqual([
      "event_2",
    ]);
    expect((await store.ledger.unrecorded(account, "webhook_a")).map((e) => e.eventId)).toEqual(["event_2"]);
  });

  it("one account never sees or affects another's rows, and the account id is a keyed hash, not the key", async () => {
    const store = await fresh();
    const one = store.accountId("exa-key-one");
    const two = store.accountId("exa-key-two");
    expect(one).not.toBe(two);
    expect(one).toBe(store.accountId("exa-key-one"));
    expect(one).not.toContain("exa-key-one");
    const claim = await store.ledger.claim({ ...keyOf(store), account: one });
    if (claim.kind !== "claimed") throw new Error("expected claimed");
    await store.ledger.record(claim.claimId, { status: 200, category: "delivered", latencyMs: 1, timedOut: false });
    expect(await store.ledger.recovered(two, "webhook_a")).toEqual([]);
    expect((await store.ledger.claim({ ...keyOf(store), account: two })).kind).toBe("claimed");
    const lease = await store.leases.acquire(one, "watch", "replica one", 60_000);
    expect(lease.acquired).toBe(true);
    expect((await store.leases.acquire(two, "watch", "replica two", 60_000)).acquired).toBe(true);
  });

  it("a lease is held by one holder until released or expired, and a refusal names the holder", async () => {
    const store = await fresh();
    const account = store.accountId("exa-key-one");
    const first = await store.leases.acquire(account, "listen:abc", "listen pid 1 on box", 60_000);
    if (!first.acquired) throw new Error("expected the lease");
    const second = await store.leases.acquire(account, "listen:abc", "listen pid 2 on box", 60_000);
    expect(second).toMatchObject({ acquired: false, heldBy: { holder: "listen pid 1 on box", name: "listen:abc" } });
    expect(await store.leases.renew(account, "listen:abc", first.token, 60_000)).toBe(true);
    expect(await store.leases.renew(account, "listen:abc", "not-the-token", 60_000)).toBe(false);
    await store.leases.release(account, "listen:abc", "not-the-token");
    expect((await store.leases.acquire(account, "listen:abc", "listen pid 2", 60_000)).acquired).toBe(false);
    await store.leases.release(account, "listen:abc", first.token);
    const third = await store.leases.acquire(account, "listen:abc", "listen pid 3", 0);
    expect(third.acquired).toBe(true);
    // A ttl of 0 has expired by the next acquire: taken over, and the old token no longer renews.
    const fourth = await store.leases.acquire(account, "listen:abc", "listen pid 4", 60_000);
    expect(fourth.acquired).toBe(true);
    if (!third.acquired) throw new Error("unreachable");
    expect(await store.leases.renew(account, "listen:abc", third.token, 60_000)).toBe(false);
  });

  it("a listen cursor keeps its watermark and ids, keyed by types in any order, and mints its secret once", async () => {
    const store = await fresh();
    const account = store.accountId("exa-key-one");
    const key = { account, types: ["webset.item.created", "webset.created"], target: "http://localhost:3000/hook" };
    expect(await store.cursors.get(key)).toBeUndefined();
    await store.cursors.save(key, { watermark: "2026-12-07T10:00:00.123Z", idsAtWatermark: ["event_a", "event_b"] });
    const reordered = { ...key, types: ["webset.created", "webset.item.created", "webset.created"] };
    expect(await store.cursors.get(reordered)).toMatchObject({
      watermark: "2026-12-07T10:00:00.123Z",
      idsAtWatermark: ["event_a", "event_b"],
    });
    expect(store.cursors.leaseName(reordered)).toBe(store.cursors.leaseName(key));
    expect(store.cursors.leaseName({ ...key, target: "http://localhost:4000/" })).not.toBe(
      store.cursors.leaseName(key),
    );
    const secret = await store.cursors.forwardingSecret(key, () => "whsec_local_first");
    expect(secret).toBe("whsec_local_first");
    expect(await store.cursors.forwardingSecret(reordered, () => "whsec_local_second")).toBe("whsec_local_first");
    // Saving the cursor keeps the secret.
    await store.cursors.save(key, { watermark: "2026-12-07T11:00:00Z", idsAtWatermark: [] });
    expect(await store.cursors.forwardingSecret(key, () => "whsec_local_third")).toBe("whsec_local_first");
  });

  it("keeps hourly buckets (added or replaced), verdict transitions and scan checkpoints per webhook", async () => {
    const store = await fresh();
    const account = store.accountId("exa-key-one");
    const hour = new Date("2026-12-07T10:00:00Z");
    const since = new Date(hour.getTime() - DAY_MS);
    await store.history.putBuckets(
      account,
      "webhook_a",
      [
        { hour: new Date("2026-12-07T10:42:00Z"), category: "timeout", delivered: 0, failed: 3 },
        { hour, category: "delivered", delivered: 5, failed: 0 },
      ],
      "add",
    );
    await store.history.putBuckets(
      account,
      "webhook_a",
      [{ hour, category: "timeout", delivered: 0, failed: 2 }],
      "add",
    );
    expect(await store.history.buckets(account, "webhook_a", since)).toEqual([
      { hour, category: "delivered", delivered: 5, failed: 0 },
      { hour, category: "timeout", delivered: 0, failed: 5 },
    ]);
    await store.history.putBuckets(
      account,
      "webhook_a",
      [{ hour, category: "timeout", delivered: 0, failed: 1 }],
      "replace",
    );
    expect((await store.history.buckets(account, "webhook_a", since))[1]?.failed).toBe(1);

    await store.history.addTransition(account, "webhook_a", {
      at: new Date("2026-12-07T09:00:00Z"),
      from: "healthy",
      to: "failing",
      cause: "5 timeouts",
    });
    await store.history.addTransition(account, "webhook_a", {
      at: new Date("2026-12-07T11:00:00Z"),
      from: "failing",
      to: "at_risk",
      cause: "every attempt failed for 2 h",
    });
    expect((await store.history.transitions(account, "webhook_a", since)).map((t) => t.to)).toEqual([
      "failing",
      "at_risk",
    ]);
    expect(await store.history.lastTransition(account, "webhook_a")).toEqual({
      at: new Date("2026-12-07T11:00:00Z"),
      from: "failing",
      to: "at_risk",
      cause: "every attempt failed for 2 h",
    });

    const checkpointKey = { account, webhookId: "webhook_a", eventType: "webset.item.created", outcome: "failed" };
    expect(await store.history.getCheckpoint(checkpointKey)).toBeUndefined();
    const aggregate = {
      groups: [{ category: "timeout", count: 5, samples: ["attempt_1"] }],
      perEvent: { event_1: "failed" },
    };
    await store.history.putCheckpoint(checkpointKey, {
      newestAttemptId: "attempt_9",
      newestAttemptAt: "2026-12-07T10:59:00Z",
      aggregate,
    });
    await store.history.putCheckpoint(checkpointKey, {
      newestAttemptId: "attempt_10",
      newestAttemptAt: "2026-12-07T11:00:00Z",
      aggregate,
    });
    expect(await store.history.getCheckpoint(checkpointKey)).toMatchObject({
      newestAttemptId: "attempt_10",
      aggregate,
    });

    await store.history.forgetWebhook(account, "webhook_a");
    expect(await store.history.getCheckpoint(checkpointKey)).toBeUndefined();
    expect(await store.history.buckets(account, "webhook_a", since)).toEqual([]);
    expect(await store.history.lastTransition(account, "webhook_a")).toBeUndefined();
  });

  it("prunes rows older than the retention (90 days by default) and keeps newer ones; describe counts rows", async () => {
    const store = await fresh();
    const account = store.accountId("exa-key-one");
    const now = Date.now();
    const old = new Date(now - 91 * DAY_MS);
    const recent = new Date(now - 89 * DAY_MS);
    await store.history.addTransition(account, "webhook_a", { at: old, from: "healthy", to: "failing", cause: "old" });
    await store.history.addTransition(account, "webhook_a", {
      at: recent,
      from: "failing",
      to: "healthy",
      cause: "recent",
    });
    await store.history.putBuckets(
      account,
      "webhook_a",
      [{ hour: old, category: "delivered", delivered: 1, failed: 0 }],
      "add",
    );
    await store.history.putBuckets(
      account,
      "webhook_a",
      [{ hour: recent, category: "delivered", delivered: 1, failed: 0 }],
      "add",
    );
    await store.ledger.claim(keyOf(store));
    const before = await store.describe();
    expect(before).toMatchObject({ engine: engine.name, schemaVersion: 1 });
    expect(before.rows).toMatchObject({ deliveries: 1, verdict_transitions: 2, health_buckets: 2 });
    expect(await store.prune()).toMatchObject({ verdict_transitions: 1, health_buckets: 1, deliveries: 0 });
    expect((await store.describe()).rows).toMatchObject({ deliveries: 1, verdict_transitions: 1, health_buckets: 1 });
    expect(await store.prune(30)).toMatchObject({ verdict_transitions: 1, health_buckets: 1 });
  });

  it("what was written survives a reopen under the same account ids (memory: a new process starts empty)", async () => {
    const store = await fresh();
    const key = keyOf(store);
    const claim = await store.ledger.claim(key);
    if (claim.kind !== "claimed") throw new Error("expected claimed");
    await store.ledger.record(claim.claimId, { status: 200, category: "delivered", latencyMs: 1, timedOut: false });
    await store.close();
    const reopened = await mustOpen(spec);
    if (engine.name === "memory") {
      expect((await reopened.describe()).rows.deliveries).toBe(0);
      return;
    }
    expect(reopened.accountId("exa-key-one")).toBe(key.account);
    expect((await reopened.ledger.claim(key)).kind).toBe("already-accepted");
  });
});
