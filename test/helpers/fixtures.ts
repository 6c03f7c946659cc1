// The vitest fixtures for what many test files need: `emulator` (the emulator on 127.0.0.1; `fileEmulator`, one
// for the whole file), `harness` (a real client on the server in process, that emulator as Exa), `receiver` (the
// tests' one webhook receiver) and `receiverThat` (more of them, each answering as the test says). Three variants
// share one thing per file: sharedHarnessTest(options) (`sharedHarness`), sandboxTest(options) (a launched
// `sandbox`, and `launched`: a client on it) and builtServerTest(args, env) (`server`: the built bin over stdio).
// A test fixture is started only for a test that names it and closed after it, so a file writes
// `it("…", async ({ harness }) => …)` instead of copying beforeEach/afterEach blocks. Options:
// `test.override("harnessOptions", {...})` (or receiverSecret).
import { test as base } from "vitest";
import type { Emulator } from "../../src/sandbox/emulator.js";
import type { LaunchSandboxOptions } from "../../src/sandbox/launch.js";
import { type HarnessOptions, spawnBuiltServer, startHarness } from "./harness.js";
import { type Behaviour, type Received, type Receiver, startReceiver } from "./receiver.js";

const noHarnessOptions: HarnessOptions = {};

export const test = base
  .extend("harnessOptions", noHarnessOptions)
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
  .extend("emulator", async ({}, { onCleanup }): Promise<Emulator> => {
    const { startEmulator } = await import("../../src/sandbox/emulator.js");
    const emulator = await startEmulator();
    onCleanup(() => emulator.close());
    return emulator;
  })
  /** One emulator for the whole file, for files whose tests each spawn a server on it (or only read it). */
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
  .extend("fileEmulator", { scope: "file" }, async ({}, { onCleanup }): Promise<Emulator> => {
    const { startEmulator } = await import("../../src/sandbox/emulator.js");
    const emulator = await startEmulator();
    onCleanup(() => emulator.close());
    return emulator;
  })
  /** On the test's `emulator` (closed after the harness), unless harnessOptions name another. */
  .extend("harness", async ({ emulator, harnessOptions }, { onCleanup }) => {
    const harness = await startHarness({ emulator, ...harnessOptions });
    onCleanup(() => harness.close());
    return harness;
  })
  /** The secret the receiver verifies Exa-Signature with (it answers 401 to a signature that fails the check). */
  .extend("receiverSecret", "")
  .extend("receiver", async ({ receiverSecret }, { onCleanup }) => {
    const receiver = await startReceiver(receiverSecret);
    onCleanup(() => receiver.close());
    return receiver;
  })
  /** Starts receivers that answer as `behave` says (verifying with `secret`), all closed after the test. */
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
  .extend("receiverThat", async ({}, { onCleanup }) => {
    const started: Receiver[] = [];
    onCleanup(() => Promise.all(started.map((receiver) => receiver.close())).then(() => undefined));
    return async (behave: (request: Received, n: number) => Behaviour, secret = "") => {
      const receiver = await startReceiver(secret, behave);
      started.push(receiver);
      return receiver;
    };
  });

export const it = test;

/**
 * `test` whose `harness` (with `options`, on an emulator of its own) is one for the whole file, closed after its
 * tests: for files whose tests only read, or each make their own webhooks, where a harness per test is waste.
 */
export function sharedHarnessTest(options: HarnessOptions = {}) {
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
  return test.extend("sharedHarness", { scope: "file" }, async ({}, { onCleanup }) => {
    const harness = await startHarness(options);
    onCleanup(() => harness.close());
    return harness;
  });
}

/**
 * `test` with a `sandbox` fixture (one sandbox launched with `options`) and a `launched` one (that sandbox with a
 * client on it, as --sandbox runs), both shared by the file's tests (launching the demo seed makes real
 * deliveries, too costly to repeat per test) and closed after them.
 */
export function sandboxTest(options: LaunchSandboxOptions) {
  return (
    test
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
      .extend("sandbox", { scope: "file" }, async ({}, { onCleanup }) => {
        const { launchSandbox } = await import("../../src/sandbox/launch.js");
        const sandbox = await launchSandbox(options);
        onCleanup(() => sandbox.close());
        return sandbox;
      })
      .extend("launched", { scope: "file" }, async ({ sandbox }, { onCleanup }) => {
        const harness = await startHarness({
          emulator: sandbox.emulator,
          flags: { sandbox: true },
          dependencies: { sandbox: sandbox.handle },
        });
        onCleanup(() => harness.close());
        return { sandbox, harness };
      })
  );
}

/** `test` with a `server` fixture: the built bin over stdio with `args` and `env`, one for the file's tests. */
export function builtServerTest(args: string[] = [], env: Record<string, string> = {}) {
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
  return test.extend("server", { scope: "file" }, async ({}, { onCleanup }) => {
    const server = await spawnBuiltServer(args, env);
    onCleanup(() => server.close());
    return server;
  });
}

export { describe, expect } from "vitest";
