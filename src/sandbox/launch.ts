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
  /**
   * Return as soon as the emulator listens and seed behind a gate: API requests wait until the demo account
   * is complete. Lets `--sandbox` answer the MCP handshake before the ~1.3 s of real seed deliveries finish.
   */
  seedInBackground?: boolean;
}

export interface LaunchedSandbox {
  emulator: Emulator;
  engine: DeliveryEngine;
  handle: SandboxHandle;
  /** Present with the demo seed (after `ready`, when seeding in the background). */
  seedReport: SeedReport | undefined;
  /** Settles when the seed is complete; rejects if it failed. */
  ready: Promise<void>;
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
  let seedReport: SeedReport | undefined;
  const seed = async (): Promise<void> => {
    if (options.seed !== "demo") return;
    receivers = await startDemoReceivers();
    seedReport = await seedDemoAccount(emulator.store, engine, clock, receivers);
  };
  const ready = seed();
  const close = async (): Promise<void> => {
    await ready.catch(() => {});
    await engine.close();
    await receivers?.close();
    await emulator.close();
  };

  if (options.seedInBackground) {
    emulator.holdRequestsUntil(ready);
    ready.catch((error: unknown) => {
      process.stderr.write(`exa-webhooks-mcp: the sandbox demo seed failed: ${(error as Error)?.message ?? error}\n`);
    });
  } else {
    try {
      await ready;
    } catch (error) {
      await close();
      throw error;
    }
  }

  const handle: SandboxHandle = {
    emitEvent: async (input) => {
      await ready.catch(() => {});
      return emitEvent(emulator.store, engine, input);
    },
  };
  return {
    emulator,
    engine,
    handle,
    get seedReport() {
      return seedReport;
    },
    ready,
    close,
  };
}
