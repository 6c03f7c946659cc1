// Assembles a running sandbox: the emulator on loopback with its control endpoint, the delivery engine,
// and (for the demo seed) the misbehaving local receivers plus the history delivered to them.
// Shared by `--sandbox` (runtime.ts) and the standalone `emulator` command (cli.ts).
import { SandboxClock } from "./clock.js";
import { createControlHandler } from "./control.js";
import { DeliveryEngine } from "./delivery/engine.js";
import { type DemoReceivers, startDemoReceivers } from "./demo/receivers.js";
import { type SeedReport, seedDemoAccount } from "./demo/seed.js";
import { emitEvent } from "./emit.js";
import type { SandboxHandle } from "./handle.js";
import { type Emulator, startEmulator } from "./index.js";

export type SandboxSeed = "demo" | "empty";

export interface LaunchSandboxOptions {
  seed: SandboxSeed;
  /** 0 (default) = any free port. */
  port?: number;
  /** Runtime per-attempt timeout; default 10 s. */
  deliveryTimeoutMs?: number;
  /** Runtime retry waits; default 1/2/4/8 s. Tests pass shorter ones. */
  retryDelaysMs?: readonly number[];
}

export interface LaunchedSandbox {
  emulator: Emulator;
  engine: DeliveryEngine;
  handle: SandboxHandle;
  /** Present with the demo seed. */
  seedReport: SeedReport | undefined;
  /** Stops retries and in-flight deliveries, then the receivers, then the emulator. */
  close(): Promise<void>;
}

export async function launchSandbox(options: LaunchSandboxOptions): Promise<LaunchedSandbox> {
  const clock = new SandboxClock();
  const emulator = await startEmulator({ port: options.port ?? 0, clock: clock.now });
  const engine = new DeliveryEngine({
    store: emulator.store,
    clock: clock.now,
    timeoutMs: options.deliveryTimeoutMs,
    retryDelaysMs: options.retryDelaysMs,
  });
  emulator.setControlHandler(createControlHandler(emulator.store, engine));

  let receivers: DemoReceivers | undefined;
  const close = async (): Promise<void> => {
    await engine.close();
    await receivers?.close();
    await emulator.close();
  };

  let seedReport: SeedReport | undefined;
  try {
    if (options.seed === "demo") {
      receivers = await startDemoReceivers();
      seedReport = await seedDemoAccount(emulator.store, engine, clock, receivers);
    }
  } catch (error) {
    await close();
    throw error;
  }

  const handle: SandboxHandle = {
    emitEvent: async (input) => emitEvent(emulator.store, engine, input),
  };
  return { emulator, engine, handle, seedReport, close };
}
