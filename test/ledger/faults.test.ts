// The ledger's faults through the built bin: no store can open (a corrupt file, a schema from the future, a
// read-only disk) and every tool still works and says why nothing is remembered; a receiver that reads the body
// and never answers (the answer is lost) is recorded as timed out and not resent silently; PostgreSQL stopped
// mid-run leaves the events it cannot claim unsent and says so, and restarted mid-run loses nothing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { RedeliveryOutput } from "../../src/redeliver/schema.js";
import { type ClientSession, connectClient, type ToolAnswer } from "../helpers/harness.js";
import { ownPostgres } from "../helpers/own-postgres.js";
import { cleanupEngines, tempDir } from "../store/engines.js";
import { binCommand, binOn, type LedgerWorld, startWorld, WEBHOOK_ID } from "./setup.js";

afterAll(cleanupEngines);
let world: LedgerWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const output = (answer: ToolAnswer) => answer.structured as unknown as RedeliveryOutput;

/** Diagnose, plan and send on a server with no memory: each answers, and the line that matters says why. */
async function worksWithoutMemory(server: ClientSession, because: RegExp) {
  const diagnosis = await server.call("diagnose_failures", { webhookId: WEBHOOK_ID });
  expect(diagnosis.isError, diagnosis.text).toBe(false);
  const recoverLine = diagnosis.text.split("\n").find((line) => line.startsWith("Recover "));
  expect(recoverLine).toMatch(/redeliveries are not remembered because/);
  expect(recoverLine).toMatch(because);
  expect(diagnosis.structured).toMatchObject({ webhooks: [{ missedEvents: { recovered: [], outstanding: 2 } }] });

  const sent = await server.call("redeliver_events", { webhookId: WEBHOOK_ID, undelivered: true, dryRun: false });
  expect(sent.isError, sent.text).toBe(false);
  expect(output(sent)).toMatchObject({ delivered: 2, remembered: false });
  const headline = sent.text.split("\n")[0] as string;
  expect(headline).toMatch(/: 2 delivered, 0 failed\. Not remembered: redeliveries are not remembered because/);
  expect(headline).toMatch(because);
  expect((await server.call("list_webhooks", {})).isError).toBe(false);
}

describe("the store opens on the first call that needs it, never at start", () => {
  it("tools/list and list_webhooks leave no file behind; a redeliver_events plan creates it", async () => {
    world = await startWorld(1);
    const path = join(tempDir(), "nested", "state.db");
    const server = await binOn(world, path);
    try {
      await server.client.listTools();
      expect((await server.call("list_webhooks", {})).isError).toBe(false);
      expect(existsSync(join(path, ".."))).toBe(false);
      await server.call("redeliver_events", { webhookId: WEBHOOK_ID, undelivered: true });
      expect(existsSync(path)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe("no store can open: every tool works and says why nothing is remembered", () => {
  it("a corrupt file: named, and kept byte for byte", async () => {
    world = await startWorld(2);
    const path = join(tempDir(), "state.db");
    const garbage = Buffer.from("not a database, what a crash left behind\n".repeat(100));
    writeFileSync(path, garbage);
    const server = await binOn(world, path);
    try {
      await worksWithoutMemory(server, new RegExp(`the state file ${path} is not a readable database.*kept as is`));
    } finally {
      await server.close();
    }
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });

  it("a store written by a newer version: refused, untouched", async () => {
    world = await startWorld(2);
    const path = join(tempDir(), "state.db");
    const first = await binOn(world, path);
    await first.call("redeliver_events", { webhookId: WEBHOOK_ID, undelivered: true });
    await first.close();
    const future = new DatabaseSync(path);
    future.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    future.close();
    const server = await binOn(world, path);
    try {
      await worksWithoutMemory(server, /written by a newer exa-webhooks-mcp \(schema version 99/);
    } finally {
      await server.close();
    }
  });

  it("a read-only disk", async () => {
    if (process.getuid?.() !== 0) throw new Error("this test mounts a read-only tmpfs: run it as root (CI does)");
    world = await startWorld(2);
    const dir = tempDir();
    mkdirSync(join(dir, "ro"));
    const bin = binCommand(world, ["--store", `${dir}/ro/state.db`]);
    // A private mount namespace: the read-only tmpfs exists for this server only.
    const script = `mount -t tmpfs -o ro tmpfs ${dir}/ro && exec "$@"`;
    const server = await connectClient({
      transport: {
        kind: "stdio",
        command: "unshare",
        args: ["-m", "sh", "-c", script, "sh", bin.command, ...bin.args],
        env: bin.env ?? {},
      },
    });
    try {
      await worksWithoutMemory(server, /cannot be written/);
    } finally {
      await server.close();
    }
  });
});

describe("a receiver that reads the body and never answers (the answer is lost)", () => {
  it("is recorded as timed out, reported as outcome unknown next time, and not resent without force", async () => {
    world = await startWorld(1, () => ({ kind: "hang" }));
    const path = join(tempDir(), "state.db");
    const server = await binOn(world, path);
    try {
      const first = await server.call("redeliver_events", { webhookId: WEBHOOK_ID, undelivered: true, dryRun: false });
      expect(output(first).results).toMatchObject([{ ok: false, category: "timeout", statusCode: 0 }]);
      const again = await server.call("redeliver_events", { webhookId: WEBHOOK_ID, undelivered: true, dryRun: false });
      expect(output(again).outcomeUnknown).toMatchObject([{ eventId: world.eventIds[0] }]);
      expect(output(again).results).toEqual([]);
      expect(again.text).toMatch(/claimed at \S+ · timed out/);
      expect(world.receiver.received).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 40_000);
});

describe("PostgreSQL during a real run", () => {
  // Its own cluster: stopping the shared one would fail the other files using it at the same time.
  const cluster = ownPostgres(21_000);
  afterAll(() => cluster.stop());

  it("stopped mid-run: the events it cannot claim are not sent, the text says so; restarted, the rest go once", async () => {
    // The 5th POST stops PostgreSQL before it is answered; one lane, so the order is fixed.
    world = await startWorld(12, (_request, n) => {
      if (n === 5) cluster.pause();
      return { kind: "answer", status: 200, body: "ok" };
    });
    const url = cluster.start();
    const server = await binOn(world, url, { EXA_MAX_CONCURRENCY: "1" });
    try {
      const ids = world.eventIds;
      const run = await server.call("redeliver_events", { webhookId: WEBHOOK_ID, eventIds: ids, dryRun: false });
      expect(run.isError, run.text).toBe(false);
      expect(output(run).delivered).toBe(5);
      expect(output(run).notClaimed).toHaveLength(7);
      expect(world.receiver.received).toHaveLength(5);
      expect(run.text).toMatch(
        /The store failed during the run \(.+\): 7 events could not be claimed, so they were not sent/,
      );
      expect(run.text).toContain("1 event sent, but the outcome could not be recorded");

      cluster.start();
      const rest = await server.call("redeliver_events", { webhookId: WEBHOOK_ID, eventIds: ids, dryRun: false });
      expect(output(rest).delivered).toBe(7);
      expect(output(rest).alreadyDelivered).toHaveLength(4);
      // The 5th was sent while the store went down: its claim stands, its outcome is unknown.
      expect(output(rest).outcomeUnknown.map((event) => event.eventId)).toEqual([world.receiver.received[4]?.eventId]);
      expect([...world.postsPerEvent().values()].every((count) => count === 1)).toBe(true);
      expect(world.postsPerEvent().size).toBe(12);
    } finally {
      await server.close();
    }
  });

  it("restarted mid-run: the dropped connections are retried, every event is sent once and recorded", async () => {
    world = await startWorld(12, (_request, n) => {
      if (n === 5) cluster.restart();
      return { kind: "answer", status: 200, body: "ok" };
    });
    const url = cluster.start();
    const server = await binOn(world, url, { EXA_MAX_CONCURRENCY: "1" });
    try {
      const ids = world.eventIds;
      const run = await server.call("redeliver_events", { webhookId: WEBHOOK_ID, eventIds: ids, dryRun: false });
      expect(output(run)).toMatchObject({ delivered: 12, notClaimed: [] });
      const again = await server.call("redeliver_events", { webhookId: WEBHOOK_ID, eventIds: ids, dryRun: false });
      expect(output(again).alreadyDelivered).toHaveLength(12);
      expect(world.postsPerEvent().size).toBe(12);
      expect([...world.postsPerEvent().values()].every((count) => count === 1)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
