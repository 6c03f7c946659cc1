// The watch lease on PostgreSQL (issue 22: "with Postgres and several replicas, one replica holds the watch
// lease"): two watch bins on one real database (EXA_WEBHOOKS_TEST_POSTGRES, a fresh database for the test)
// against the emulator in this process. One holds the lease and alerts once per transition; the holder is
// SIGKILLed (no release), and the other takes over once the lease expires, from the stored state: no repeat
// of the alert already told, and the next transition told once.
import { afterEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import { UNTIL_TEST_TIMEOUT } from "../helpers/wait.js";
import { cleanupEngines, freshPostgresUrl, NO_POSTGRES_MESSAGE, TEST_POSTGRES } from "../store/engines.js";
import { failingWebhook, spawnWatch, ticksOf, transitionsOf, type WatchProcess } from "./watch-bin.js";

let emulator: Emulator | undefined;
let watches: WatchProcess[] = [];
afterEach(async () => {
  await Promise.all(watches.map((watch) => watch.stop()));
  watches = [];
  await emulator?.close();
  await cleanupEngines();
});

function replica(baseUrl: string, store: string): WatchProcess {
  const watch = spawnWatch(["--interval", "1s", "--output", "json", "--store", store], {
    EXA_BASE_URL: baseUrl,
    EXA_RETRY_BASE_MS: "10",
  });
  watches.push(watch);
  return watch;
}

const alertsOf = (watch: WatchProcess) =>
  transitionsOf(watch.lines)
    .filter((line) => line.decision === "alert")
    .map((line) => `${line.from}→${line.to}`);

describe("the watch lease on PostgreSQL, two replicas through the built bin", () => {
  it("lets one replica watch and alert once per transition, and the other take over after a SIGKILL without repeating it", async () => {
    if (!TEST_POSTGRES) throw new Error(NO_POSTGRES_MESSAGE);
    const store = await freshPostgresUrl(TEST_POSTGRES);
    emulator = await startEmulator();
    const target = emulator;
    const id = failingWebhook(target, "orders", 0);
    const attempt = (successful: boolean) =>
      target.store.addAttempt({ webhookId: id, eventType: "webset.created", successful });

    const first = replica(target.baseUrl, store);
    await expect.poll(() => ticksOf(first.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(1);
    expect(transitionsOf(first.lines).map((line) => `${line.to}:${line.decision}`)).toEqual(["healthy:baseline"]);
    const second = replica(target.baseUrl, store);
    await expect
      .poll(() => second.lines.find((line) => line.type === "standby"), UNTIL_TEST_TIMEOUT)
      .toMatchObject({ holder: expect.stringContaining(`watch pid ${first.child.pid} on `) });

    for (let n = 0; n < 3; n++) attempt(false);
    await expect.poll(() => alertsOf(first), UNTIL_TEST_TIMEOUT).toEqual(["healthy→failing"]);
    // A few more ticks of both: the alert stays one, and the standby never looked.
    const ticksAtAlert = ticksOf(first.lines).length;
    await expect.poll(() => ticksOf(first.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(ticksAtAlert + 2);
    expect(alertsOf(first)).toEqual(["healthy→failing"]);
    expect(ticksOf(second.lines), "a replica on standby reads nothing").toEqual([]);
    expect(transitionsOf(second.lines)).toEqual([]);

    // Killed: the lease is never given up, so the other waits for it to expire.
    await first.stop("SIGKILL");
    await expect.poll(() => second.lines.find((line) => line.type === "lease"), UNTIL_TEST_TIMEOUT).toBeDefined();
    await expect.poll(() => ticksOf(second.lines).length, UNTIL_TEST_TIMEOUT).toBeGreaterThanOrEqual(3);
    expect(transitionsOf(second.lines), "the state the killed replica stored: nothing to repeat").toEqual([]);

    // The next transition, told once by the new holder.
    for (let n = 0; n < 5; n++) attempt(true);
    await expect.poll(() => alertsOf(second), UNTIL_TEST_TIMEOUT).toEqual(["failing→recovered"]);
    const ticksAtRecovery = ticksOf(second.lines).length;
    await expect
      .poll(() => ticksOf(second.lines).length, UNTIL_TEST_TIMEOUT)
      .toBeGreaterThanOrEqual(ticksAtRecovery + 2);
    expect(alertsOf(second)).toEqual(["failing→recovered"]);
    expect(alertsOf(first), "the killed replica said nothing more").toEqual(["healthy→failing"]);
  }, 90_000);
});
