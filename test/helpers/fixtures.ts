// The vitest fixtures for what many test files need: `emulator` (the emulator on 127.0.0.1), `harness` (a real
// client on the server in process, that emulator as Exa), `receiver` (the tests' one webhook receiver), and through
// sandboxTest(options) `launched` (a launched sandbox with a client on it, one per file). A test fixture is started
// only for a test that names it and closed after it, so a file writes `it("…", async ({ harness }) => …)` instead
// of copying beforeEach/afterEach blocks. Options: `test.override("harnessOptions", {...})` (or receiverSecret).
import { test as base } from "vitest";
import type { Emulator } from "../../src/sandbox/emulator.js";
import type { LaunchSandboxOptions } from "../../src/sandbox/launch.js";
import { type HarnessOptions, startHarness } from "./harness.js";
import { startReceiver } from "./receiver.js";

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
  });

export const it = test;

/**
 * `test` with a `launched` fixture: one sandbox launched with `options` and a client on it, shared by the file's
 * tests (launching the demo seed makes real deliveries, too costly to repeat per test) and closed after them.
 */
export function sandboxTest(options: LaunchSandboxOptions) {
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
  return test.extend("launched", { scope: "file" }, async ({}, { onCleanup }) => {
    const { startSandboxHarness } = await import("./sandbox-harness.js");
    const sandbox = await startSandboxHarness(options);
    onCleanup(() => sandbox.close());
    return sandbox;
  });
}

export { describe, expect } from "vitest";
