// The watch's faults (issue 22), each through the built bin against the emulator in this process (its store
// seeded, its faults injected, its requests counted): the clock jumping forward, 429s during a tick, a
// webhook deleted while watched, the store lost between runs, and a tick's cost on an unchanged account.

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import { UNTIL_TEST_TIMEOUT } from "../helpers/wait.js";
import { failingWebhook, spawnWatch, ticksOf, transitionsOf, type WatchProcess } from "./watch-bin.js";

const HOUR = 3_600_000;

let emulator: Emulator | undefined;
let watches: WatchProcess[] = [];
let proxy: Server | undefined;
afterEach(async () => {
  await Promise.all(watches.map((watch) => watch.stop()));
  watches = [];
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  proxy = undefined;
  await emulator?.close();
});

function watchOf(baseUrl: string, args: string[] = [], env: Record<string, string> = {}): WatchProcess {
  const watch = spawnWatch(["--interval", "1s", "--output", "json", "--store", "memory", ...args], {
    EXA_BASE_URL: baseUrl,
    EXA_RETRY_BASE_MS: "10",
    ...env,
  });
  watches.push(watch);
  return watch;
}

/** A peer in front of the emulator that answers with its Date header moved by `offset.ms`: Exa's clock. */
async function clockShiftingProxy(target: Emulator, offset: { ms: number }): Promise<string> {
  const upstream = new URL(target.baseUrl);
  proxy = createServer((incoming, outgoing) => {
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, {
          ...answer.headers,
          date: new Date(Date.now() + offset.ms).toUTCString(),
        });
        answer.pipe(outgoing);
      },
    );
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

describe("watch faults through the built bin", () => {
  it("costs one request per webhook plus the list on an unchanged account, and a clock jumping forward makes one at_risk alert, not one per tick", async () => {
    emulator = await startEmulator();
    const id = failingWebhook(emulator, "orders", 3);
    const offset = { ms: 0 };
    const watch = watchOf(await clockShiftingProxy(emulator, offset));
    await expect.poll(() => ticksOf(watch.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(1);
    expect(transitionsOf(watch.lines, id).map((line) => `${line.to}:${line.decision}`)).toEqual(["failing:baseline"]);
    const afterFirstLook = emulator.requests.length;
    await expect.poll(() => ticksOf(watch.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(4);
    // Unchanged: only the list and one newest-attempt page of limit 1 per webhook, never a full scan.
    const later = emulator.requests.slice(afterFirstLook);
    const kinds = later.map((request) =>
      request.path.endsWith("/webhooks") ? "list" : request.query.get("limit") === "1" ? "probe" : "scan",
    );
    expect(kinds).not.toContain("scan");
    expect(kinds.filter((kind) => kind === "probe").length).toBe(kinds.filter((kind) => kind === "list").length);

    // Exa's clock jumps two days: no success for 2 d is a sustained run, whatever the run's length.
    offset.ms = 48 * HOUR;
    await expect.poll(() => transitionsOf(watch.lines, id).length, UNTIL_TEST_TIMEOUT).toBe(2);
    const jumped = transitionsOf(watch.lines, id)[1];
    expect(`${jumped?.from}→${jumped?.to}:${jumped?.decision}`).toBe("failing→at_risk:alert");
    expect(jumped?.evidence).toMatchObject({ sinceLastSuccessMs: expect.any(Number) });
    expect((jumped?.evidence as { sinceLastSuccessMs: number } | undefined)?.sinceLastSuccessMs).toBeGreaterThan(
      47 * HOUR,
    );
    const ticksAtJump = ticksOf(watch.lines).length;
    await expect.poll(() => ticksOf(watch.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(ticksAtJump + 3);
    expect(transitionsOf(watch.lines, id), "no alert per tick").toHaveLength(2);
  }, 60_000);

  it("keeps every state through 429s during a tick, says so, and waits longer before the next tick", async () => {
    emulator = await startEmulator();
    const id = failingWebhook(emulator, "orders", 3);
    const watch = watchOf(emulator.baseUrl);
    await expect.poll(() => ticksOf(watch.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(1);
    emulator.faults.add({ path: "/attempts", status: 429, times: 40, headers: { "retry-after": "0" } });
    await expect
      .poll(() => ticksOf(watch.lines).find((tick) => tick.rateLimited === true), UNTIL_TEST_TIMEOUT)
      .toMatchObject({ nextInMs: 2000 });
    expect(watch.lines.find((line) => line.type === "problem")).toMatchObject({ kind: "probe_failed", webhookId: id });
    emulator.faults.clear();
    const ticks = ticksOf(watch.lines).length;
    await expect.poll(() => ticksOf(watch.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(ticks + 2);
    expect(ticksOf(watch.lines).at(-1)?.rateLimited).toBe(false);
    expect(
      transitionsOf(watch.lines, id).map((line) => line.decision),
      "a 429 is no change of health",
    ).toEqual(["baseline"]);
  }, 60_000);

  it("says once that a webhook was deleted while watched, and stops watching it without an alert", async () => {
    emulator = await startEmulator();
    const gone = failingWebhook(emulator, "gone-soon", 3);
    const kept = failingWebhook(emulator, "kept", 3);
    const watch = watchOf(emulator.baseUrl);
    await expect.poll(() => ticksOf(watch.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(1);
    emulator.store.deleteWebhook(gone);
    await expect.poll(() => watch.lines.filter((line) => line.type === "deleted"), UNTIL_TEST_TIMEOUT).toHaveLength(1);
    const ticks = ticksOf(watch.lines).length;
    await expect.poll(() => ticksOf(watch.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(ticks + 2);
    expect(watch.lines.filter((line) => line.type === "deleted")).toEqual([
      expect.objectContaining({ webhookId: gone, name: "gone-soon" }),
    ]);
    expect(
      transitionsOf(watch.lines).map((line) => `${line.webhookId === kept ? "kept" : "gone"}:${line.decision}`),
    ).toEqual(expect.arrayContaining(["kept:baseline", "gone:baseline"]));
    expect(transitionsOf(watch.lines).filter((line) => line.decision === "alert")).toEqual([]);
  }, 60_000);

  it("does not alert again after a restart, and a store lost between runs is a fresh baseline, not a flood", async () => {
    emulator = await startEmulator();
    const webhooks = [0, 1, 2].map((n) => failingWebhook(emulator as Emulator, `w${n}`, 3));
    const dir = mkdtempSync(path.join(tmpdir(), "watch-store-"));
    const store = path.join(dir, "state.db");
    try {
      const run = async () => {
        const watch = watchOf(emulator?.baseUrl as string, ["--store", store]);
        await expect.poll(() => ticksOf(watch.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(2);
        await watch.stop();
        return transitionsOf(watch.lines).map((line) => line.decision);
      };
      expect(await run()).toEqual(["baseline", "baseline", "baseline"]);
      // One webhook breaks further while nobody watches: a real change, told once on restart.
      for (let n = 0; n < 20; n++)
        emulator.store.addAttempt({ webhookId: webhooks[0] as string, eventType: "webset.created", successful: false });
      expect(await run(), "the state from the store: only the change alerts").toEqual(["alert"]);
      expect(await run(), "nothing changed: nothing said").toEqual([]);
      rmSync(store, { force: true });
      expect(await run(), "a lost store: a fresh baseline").toEqual(["baseline", "baseline", "baseline"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("with one shared store, one replica watches and the other stands by until the lease is given up", async () => {
    emulator = await startEmulator();
    failingWebhook(emulator, "orders", 3);
    const dir = mkdtempSync(path.join(tmpdir(), "watch-lease-"));
    const store = path.join(dir, "state.db");
    try {
      const first = watchOf(emulator.baseUrl, ["--store", store]);
      await expect.poll(() => ticksOf(first.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(1);
      const second = watchOf(emulator.baseUrl, ["--store", store]);
      await expect
        .poll(() => second.lines.find((line) => line.type === "standby"), UNTIL_TEST_TIMEOUT)
        .toMatchObject({ holder: `watch pid ${first.child.pid} on ${hostname()}` });
      expect(ticksOf(second.lines), "a replica on standby reads nothing").toEqual([]);
      await first.stop();
      await expect.poll(() => second.lines.find((line) => line.type === "lease"), UNTIL_TEST_TIMEOUT).toBeDefined();
      await expect.poll(() => ticksOf(second.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(1);
      expect(
        transitionsOf(second.lines).map((line) => line.decision),
        "the state the first replica stored: nothing to say",
      ).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
