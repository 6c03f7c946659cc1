// listen against what goes wrong, through the built bin: a receiver down at start or mid-stream, trickling
// or hanging; Exa answering 429 and 5xx; events listable late or out of order; Exa's clock an hour from the
// local one; SIGKILL mid-forward; and a target off this machine (refused inside a network namespace).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import { BIN_PATH, TEST_API_KEY } from "../helpers/harness.js";
import { type Behaviour, type Receiver, startReceiver } from "../helpers/receiver.js";
import { quietFor } from "../helpers/wait.js";
import { freePort, type ListenerProcess, listenEnv, startListener } from "./listener-process.js";

const SECRET = "whsec_listen_faults_0c81e5";
const TYPE = "webset.item.created";
const SEED = Number(process.env.LISTEN_TEST_SEED ?? 4242);
console.log(`faults.test.ts seed ${SEED} (LISTEN_TEST_SEED to replay)`);

let emulator: Emulator;
let dir: string;
const receivers: Receiver[] = [];
const running: ListenerProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "listen-faults-"));
});
afterEach(async () => {
  emulatorNow = () => Date.now();
  lastAt = 0;
  for (const listener of running.splice(0)) await listener.kill();
  for (const receiver of receivers.splice(0)) await receiver.close();
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function receiver(behave?: (n: number) => Behaviour, port = 0): Promise<Receiver> {
  const started = await startReceiver(SECRET, behave ? (_request, n) => behave(n) : undefined, { port });
  receivers.push(started);
  return started;
}

function listen(url: string, args: string[] = [], extra: Record<string, string> = {}): ListenerProcess {
  const listener = startListener(
    ["--forward-to", url, "--events", TYPE, "--secret", SECRET, ...args],
    listenEnv(emulator.baseUrl, join(dir, "state.db"), extra),
  );
  running.push(listener);
  return listener;
}

let lastAt = 0;
/** An event of TYPE, at `createdAt` or at Exa's now, never at the same ms as the one before (ties order by id). */
function add(createdAt?: string) {
  const at = createdAt ?? new Date(Math.max(emulatorNow(), lastAt + 1)).toISOString();
  if (!createdAt) lastAt = Date.parse(at);
  return emulator.store.addEvent({ type: TYPE, createdAt: at });
}
let emulatorNow = () => Date.now();
const ids = (target: Receiver) => target.received.map((request) => request.eventId);

describe("the receiver", () => {
  beforeEach(async () => {
    emulator = await startEmulator();
  });

  it("down at start: says so, and the events wait until it is up (nothing lost)", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/webhooks/exa`;
    const listener = listen(url);
    const [waiting] = await listener.waitFor("notice", 1, (line) => line.level === "warning");
    expect(waiting?.message).toBe(
      `Nothing accepts connections at 127.0.0.1:${port} yet: events wait here until your receiver is up.`,
    );
    const first = add();
    const second = add();
    const up = await receiver(undefined, port);
    await listener.waitFor("result", 2);
    expect(ids(up)).toEqual([first.id, second.id]);
    expect(listener.results().every((line) => line.accepted === true)).toBe(true);
    expect(await listener.interrupt()).toBe(0);
  });

  it("down mid-stream: the failed event is printed and recorded, the next ones wait for it to come back", async () => {
    const first = await receiver();
    const port = Number(new URL(first.url).port);
    const listener = listen(first.url);
    await listener.waitFor("banner");
    const one = add();
    await listener.waitFor("result", 1);
    await first.close();
    const two = add();
    const three = add();
    const [failed] = await listener.waitFor("result", 1, (line) => line.accepted === false);
    expect(failed).toMatchObject({ eventId: two.id, statusCode: 0, accepted: false });
    expect(failed?.reason).toMatch(/ECONNREFUSED|refused/i);
    const [down] = await listener.waitFor("notice", 1, (line) => line.level === "warning");
    expect(down?.message).toBe(
      `127.0.0.1:${port} stopped accepting connections: the failed event above is recorded (send it again with --replay <id>); the next ones wait until the receiver is back.`,
    );
    const back = await receiver(undefined, port);
    await listener.waitFor("result", 3);
    expect(ids(back)).toEqual([three.id]);
    expect(listener.results().map((line) => [line.eventId, line.accepted])).toEqual([
      [one.id, true],
      [two.id, false],
      [three.id, true],
    ]);
    expect(await listener.interrupt()).toBe(0);
    // The ledger holds the failure: the next run does not resend it (no automatic retry)...
    const again = listen(back.url);
    await again.waitFor("banner");
    const four = add();
    await again.waitFor("result", 1);
    expect(ids(back)).toEqual([three.id, four.id]);
    expect(await again.interrupt()).toBe(0);
  });

  it("trickling or hanging: each POST ends at its deadline, is reported as such, and the next event goes on", async () => {
    const slow = await receiver((n) =>
      n === 1 ? { kind: "trickle", everyMs: 50 } : n === 2 ? { kind: "hang" } : { kind: "answer", status: 200 },
    );
    const listener = listen(slow.url, [], { EXA_LISTEN_TIMEOUT_MS: "400" });
    await listener.waitFor("banner");
    const events = [add(), add(), add()];
    await listener.waitFor("result", 3);
    expect(listener.results().map((line) => [line.eventId, line.statusCode, line.accepted, line.reason])).toEqual([
      [events[0]?.id, 0, false, "answered 200 but the body did not finish within 400 ms"],
      [events[1]?.id, 0, false, "no answer within 400 ms"],
      [events[2]?.id, 200, true, undefined],
    ]);
    expect(await listener.interrupt()).toBe(0);
  });
});

describe("Exa's event list", () => {
  beforeEach(async () => {
    emulator = await startEmulator();
  });

  it("429 with Retry-After and 5xx pages: says so once, waits Retry-After out, then forwards everything once", async () => {
    const target = await receiver();
    const listener = listen(target.url);
    await listener.waitFor("banner");
    emulator.faults.add({ path: "/events", status: 429, headers: { "retry-after": "1" }, times: 4 });
    emulator.faults.add({ path: "/events", kind: "html", status: 503, times: 4 });
    const event = add();
    const notices = await listener.waitFor(
      "notice",
      2,
      (line) => line.level === "error" || /again/.test(String(line.message)),
    );
    await listener.waitFor("result", 1);
    expect(notices[0]?.message).toMatch(
      /^Listing events failed: HTTP 429 after 4 attempts: .*The listener keeps its place and tries again after Exa's Retry-After \(1 s\)\.$/,
    );
    expect(ids(target)).toEqual([event.id]);
    expect(listener.lines.some((line) => line.message === "Exa answers again; polling resumes.")).toBe(true);
    // Every request after a 429 came at least Retry-After later.
    const listings = emulator.requests.filter((request) => request.path.endsWith("/events"));
    listings.forEach((request, i) => {
      const next = listings[i + 1];
      if (request.status === 429 && next) expect(next.at - request.at).toBeGreaterThanOrEqual(950);
    });
    expect(await listener.interrupt()).toBe(0);
  });

  it("events listable late (older than the watermark) or out of order are forwarded once, oldest first", async () => {
    const target = await receiver();
    const listener = listen(target.url);
    await listener.waitFor("banner");
    const now = Date.now();
    const first = add(new Date(now + 1_000).toISOString());
    await listener.waitFor("result", 1);
    // Shuffled offsets inside the overlap, from the seed: appended in that order, listed newest first.
    let state = SEED;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const offsets = Array.from({ length: 8 }, (_, i) => -50_000 + i * 6_000).sort(() => random() - 0.5);
    const late = offsets.map((offset) => add(new Date(now + offset).toISOString()));
    await listener.waitFor("result", 1 + late.length);
    const expected = [...late].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    expect(ids(target)).toEqual([first.id, ...expected.map((event) => event.id)]);
    await quietFor(500);
    expect(target.received).toHaveLength(1 + late.length);
    expect(await listener.interrupt()).toBe(0);
  });
});

describe.each([
  ["an hour ahead of", -3_600_000],
  ["an hour behind", 3_600_000],
])("the local clock %s Exa's", (_label, exaOffsetMs) => {
  beforeEach(async () => {
    emulatorNow = () => Date.now() + exaOffsetMs;
    emulator = await startEmulator({ clock: emulatorNow });
  });

  it("starts at Exa's now, forwards new events, resumes, and counts --since on Exa's clock", async () => {
    const target = await receiver();
    const exaNow = () => Date.now() + exaOffsetMs;
    const existing = add(new Date(exaNow() - 10_000).toISOString());
    const listener = listen(target.url);
    const [banner] = await listener.waitFor("banner");
    expect(Math.abs(Date.parse(String(banner?.startsAt)) - exaNow())).toBeLessThan(600_000);
    const fresh = add();
    await listener.waitFor("result", 1);
    expect(await listener.interrupt()).toBe(0);
    const meanwhile = add();
    const resumed = listen(target.url);
    await resumed.waitFor("result", 1);
    expect(await resumed.interrupt()).toBe(0);
    expect(ids(target)).toEqual([fresh.id, meanwhile.id]);
    expect(ids(target)).not.toContain(existing.id);

    // A fresh cursor (another target) with --since 30m takes the last 30 minutes of Exa's time.
    const other = await receiver();
    const backfill = listen(other.url, ["--since", "30m"]);
    await backfill.waitFor("result", 3);
    expect(await backfill.interrupt()).toBe(0);
    expect(ids(other)).toEqual([existing.id, fresh.id, meanwhile.id]);
  });
});

describe("a listener killed mid-forward", () => {
  beforeEach(async () => {
    emulator = await startEmulator();
  });

  it("restarted, forwards what it had in flight again (same id) and everything after, nothing earlier twice", async () => {
    const port = await freePort();
    // The first receiver accepts event 1 and never answers event 2: the listener is mid-POST when killed.
    const first = await receiver((n) => (n === 1 ? { kind: "answer", status: 200 } : { kind: "hang" }), port);
    const lease = { EXA_LISTEN_LEASE_MS: "600" };
    const listener = listen(first.url, [], lease);
    await listener.waitFor("banner");
    const one = add();
    await listener.waitFor("result", 1);
    const two = add();
    await expect.poll(() => first.received.length, { timeout: 20_000, interval: 10 }).toBe(2);
    await listener.kill();
    await first.close();
    const three = add();
    const healthy = await receiver(undefined, port);
    // The killed listener's lease runs out (600 ms) before anyone may take its cursor.
    await quietFor(700);
    const restarted = listen(healthy.url, [], lease);
    await restarted.waitFor("result", 2);
    expect(ids(first)).toEqual([one.id, two.id]);
    expect(ids(healthy)).toEqual([two.id, three.id]);
    expect(healthy.received.every((request) => request.signatureValid)).toBe(true);
    expect(await restarted.interrupt()).toBe(0);
  });

  it("in a backfill, restarted, sends the event in flight again, then the one claimed ahead of it and the rest, each once", async () => {
    const port = await freePort();
    // Four events listable at the start: the first is answered, the second hangs, and the third is claimed
    // while the second is in flight.
    const first = await receiver((n) => (n === 1 ? { kind: "answer", status: 200 } : { kind: "hang" }), port);
    const lease = { EXA_LISTEN_LEASE_MS: "600" };
    const base = Date.now() - 60_000;
    const events = [0, 1, 2, 3].map((i) => add(new Date(base + i * 1_000).toISOString()));
    const listener = listen(first.url, ["--since", "5m"], lease);
    await expect.poll(() => first.received.length, { timeout: 20_000, interval: 10 }).toBe(2);
    await listener.kill();
    await first.close();
    const healthy = await receiver(undefined, port);
    await quietFor(700);
    const restarted = listen(healthy.url, [], lease);
    await restarted.waitFor("result", 3);
    const [zero, one, two, three] = events.map((event) => event.id);
    expect(ids(first)).toEqual([zero, one]);
    expect(ids(healthy)).toEqual([one, two, three]);
    expect(await restarted.interrupt()).toBe(0);
    expect(ids(healthy)).toEqual([one, two, three]);
  });
});

describe("a target off this machine", () => {
  const unshare = spawnSync("unshare", ["-n", "true"]);
  const canIsolate = unshare.status === 0;

  it.skipIf(!canIsolate)(
    "is refused without --allow-remote-target, and a private one even with it (run with no network)",
    () => {
      const run = (args: string[]) =>
        spawnSync("unshare", ["-n", process.execPath, BIN_PATH, "listen", ...args], {
          env: {
            PATH: process.env.PATH ?? "",
            XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "",
            EXA_API_KEY: TEST_API_KEY,
            EXA_WEBHOOKS_STORE: "memory",
          },
          encoding: "utf8",
          timeout: 20_000,
        });
      const publicIp = run(["--forward-to", "http://93.184.215.14/hook", "--events", TYPE]);
      expect(publicIp.status).toBe(2);
      expect(JSON.parse(publicIp.stdout.trim()).message).toBe(
        "--forward-to http://93.184.215.14/hook is refused: 93.184.215.14 is a public address: listen forwards only to this machine (http://localhost:3000/..., 127.0.0.1, [::1]) unless --allow-remote-target is given; private, link-local and metadata addresses stay refused even then.",
      );
      const name = run(["--forward-to", "https://hooks.example.com/exa", "--events", TYPE]);
      expect(name.status).toBe(2);
      expect(name.stdout).toContain("its host is not a loopback address");
      const metadata = run([
        "--forward-to",
        "http://169.254.169.254/latest",
        "--allow-remote-target",
        "--events",
        TYPE,
      ]);
      expect(metadata.status).toBe(2);
      expect(JSON.parse(metadata.stdout.trim()).message).toBe(
        "--forward-to http://169.254.169.254/latest is refused: 169.254.169.254 is a link-local address (169.254/16, fe80::/10, where cloud metadata services answer), which listen never forwards to.",
      );
    },
  );
});
