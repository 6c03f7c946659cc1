// Two processes on one store at once (two stdio servers on one SQLite file, two replicas on one Postgres): each
// event is claimed by exactly one of them. And a Postgres restarted mid-run: calls fail as typed, transient
// errors while it is down, and the store works again once it is back, with nothing lost.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StoreOperationError, type StoreSpec } from "../../src/store/types.js";
import { ownPostgres } from "../helpers/own-postgres.js";
import { claimerScript } from "./bundle.js";
import { cleanupEngines, freshPostgresUrl, mustOpen, NO_POSTGRES_MESSAGE, TEST_POSTGRES, tempDir } from "./engines.js";

afterAll(cleanupEngines);

const EVENTS = 400;

function runClaimer(script: string, spec: StoreSpec, seed: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(spec), String(EVENTS), String(seed)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`claimer exited ${code}: ${out}${err}`));
      resolve((JSON.parse(out) as { won: string[] }).won);
    });
  });
}

async function twoWriters(spec: StoreSpec) {
  const script = await claimerScript();
  // Different seeds: the two walk the events in different orders, so they collide all along the way.
  const seeds = [Date.now() % 100_000, (Date.now() % 100_000) + 7919];
  console.log(`two writers on ${spec.engine}: seeds ${seeds.join(", ")}`);
  const [one, two] = await Promise.all(seeds.map((seed) => runClaimer(script, spec, seed)));
  const all = [...(one ?? []), ...(two ?? [])];
  expect(new Set(all).size).toBe(all.length);
  expect(all.length).toBe(EVENTS);
  const store = await mustOpen(spec);
  const account = store.accountId("exa-key-shared");
  expect(await store.ledger.recovered(account, "webhook_a")).toHaveLength(EVENTS);
  expect(await store.ledger.unrecorded(account, "webhook_a")).toEqual([]);
}

describe("two processes claiming the same events at once", () => {
  it("on one SQLite file: every event is claimed by exactly one process", async () => {
    await twoWriters({ engine: "sqlite", path: join(tempDir(), "state.db") });
  });

  it("on one PostgreSQL database: every event is claimed by exactly one process", async () => {
    if (!TEST_POSTGRES) throw new Error(NO_POSTGRES_MESSAGE);
    await twoWriters({ engine: "postgres", url: await freshPostgresUrl(TEST_POSTGRES) });
  });
});

describe("a process killed between claim and record", () => {
  it.each(["sqlite", "postgres"] as const)(
    "on %s leaves the claim as outcome unknown, and the next claim does not resend it",
    async (engine) => {
      if (engine === "postgres" && !TEST_POSTGRES) throw new Error(NO_POSTGRES_MESSAGE);
      const spec: StoreSpec =
        engine === "sqlite"
          ? { engine, path: join(tempDir(), "state.db") }
          : { engine, url: await freshPostgresUrl(TEST_POSTGRES as string) };
      const child = spawn(process.execPath, [await claimerScript(), JSON.stringify(spec), "5", "11", "hang"], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      const claimed = await new Promise<string>((resolve, reject) => {
        child.stdout.once("data", (chunk) => resolve((JSON.parse(String(chunk)) as { claimed: string }).claimed));
        child.once("exit", (code) => reject(new Error(`the claimer exited (${code}) before claiming`)));
      });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;

      const store = await mustOpen(spec);
      const account = store.accountId("exa-key-shared");
      const key = { account, webhookId: "webhook_a", eventId: claimed, target: "http://127.0.0.1:9/hook" };
      expect(await store.ledger.unrecorded(account, "webhook_a")).toMatchObject([{ eventId: claimed }]);
      const again = await store.ledger.claim(key);
      expect(again.kind).toBe("outcome-unknown");
      if (again.kind !== "outcome-unknown") throw new Error("unreachable");
      expect(again.entry.holder).toMatch(/^pid \d+ on /);
      expect((await store.ledger.claim(key, { force: true })).kind).toBe("claimed");
    },
  );
});

describe("PostgreSQL restarted mid-run", () => {
  // Its own cluster: restarting the shared one would fail the other test files using it at the same time.
  const cluster = ownPostgres(20_000);
  afterAll(() => cluster.stop());

  it("fails as a transient StoreOperationError while it is down, and works again when it is back", async () => {
    const url = cluster.start();
    const store = await mustOpen({ engine: "postgres", url });
    const account = store.accountId("exa-key-one");
    const key = { account, webhookId: "webhook_a", eventId: "event_1", target: "http://127.0.0.1:3000/hook" };
    const first = await store.ledger.claim(key);
    if (first.kind !== "claimed") throw new Error("expected claimed");

    cluster.restart();
    // The pooled connection died with the restart: the first call may fail, as a typed transient error.
    const errors: unknown[] = [];
    let recorded = false;
    for (let attempt = 0; attempt < 5 && !recorded; attempt++) {
      try {
        await store.ledger.record(first.claimId, { status: 200, category: "delivered", latencyMs: 4, timedOut: false });
        recorded = true;
      } catch (error) {
        errors.push(error);
      }
    }
    expect(recorded).toBe(true);
    for (const error of errors) {
      expect(error).toBeInstanceOf(StoreOperationError);
      expect((error as StoreOperationError).transient).toBe(true);
    }
    expect((await store.ledger.claim(key)).kind).toBe("already-accepted");

    cluster.pause();
    const down = await store.ledger.claim({ ...key, eventId: "event_2" }).catch((error: unknown) => error);
    expect(down).toBeInstanceOf(StoreOperationError);
    expect((down as StoreOperationError).transient).toBe(true);
    expect((down as Error).message).not.toMatch(/password/i);
    cluster.start();
    expect((await store.ledger.claim({ ...key, eventId: "event_2" })).kind).toBe("claimed");
  });
});
