// Starting a sandbox: the emulator on loopback with its control endpoint, the delivery engine, and (for the
// demo seed) the misbehaving local receivers plus the history delivered to them. Two ways in: `--sandbox`
// (startSandbox: the MCP server talks to it over real HTTP, the production client code path with another
// base URL and key) and the standalone `exa-webhooks-mcp emulator` command (runEmulatorCommand).
import { SandboxClock } from "./clock.js";
import {
  CONTROL_EVENTS_PATH,
  CONTROL_RECEIVERS_PATH,
  createControlHandler,
  emitEvent,
  setReceiver,
} from "./control.js";
import { DeliveryEngine } from "./delivery/engine.js";
import { deliveryRefusal } from "./delivery/guard.js";
import { DEMO_ID_SEED } from "./demo/layout.js";
import { type DemoReceivers, type SeedReport, seedDemoAccount, startDemoReceivers } from "./demo/seed.js";
import { type Emulator, startEmulator } from "./emulator.js";
import type { SandboxHandle } from "./handle.js";
import { seededIds } from "./ids.js";
import type { SandboxReceiver } from "./receivers/receiver.js";

type SandboxSeed = "demo" | "empty";

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
  /** Remote callers reach the server (--http on a host that is not loopback): deliver only to the demo receivers. */
  demoReceiversOnly?: boolean;
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
  // Random ids for everything made in the session; only the demo seed below draws from a seeded source.
  const emulator = await startEmulator({ port: options.port ?? 0, clock: clock.now });
  // Filled with the demo receivers' origins as they start.
  const onlyOrigins = options.demoReceiversOnly ? new Set<string>() : undefined;
  const engine = new DeliveryEngine({
    store: emulator.store,
    clock: clock.now,
    timeoutMs: options.deliveryTimeoutMs,
    retryDelaysMs: options.retryDelaysMs,
    ...(onlyOrigins ? { onlyOrigins } : {}),
  });
  let started: SandboxReceiver[] = [];
  let receivers: DemoReceivers = new Map();
  emulator.setControlHandler(createControlHandler(emulator.store, engine, () => receivers));

  let seedReport: SeedReport | undefined;
  const seed = async (): Promise<void> => {
    if (options.seed !== "demo") return;
    started = await startDemoReceivers();
    for (const receiver of started) onlyOrigins?.add(new URL(receiver.url).origin);
    // The demo's history is seeded, so an id copied from one session works in the next.
    const seeded = await seedDemoAccount(emulator.store, engine, clock, started, seededIds(DEMO_ID_SEED));
    seedReport = seeded.report;
    receivers = seeded.receivers;
  };
  const ready = seed();
  const close = async (): Promise<void> => {
    await ready.catch(() => {});
    await engine.close();
    await Promise.all(started.map((receiver) => receiver.close()));
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

  const { store } = emulator;
  // Every method waits for the seed: the demo webhooks and their receivers exist only once it is done.
  const seeded = () => ready.catch(() => {});
  const handle: SandboxHandle = {
    emitEvent: async (input) => {
      await seeded();
      return emitEvent(store, engine, input);
    },
    setReceiver: async (input) => {
      await seeded();
      return setReceiver(store, receivers, input);
    },
    webhookSecret: async (webhookId) => {
      await seeded();
      return store.getWebhook(webhookId) ? store.getWebhookSecret(webhookId) : undefined;
    },
    webhookSecrets: async () => {
      await seeded();
      return Object.fromEntries(
        store.listWebhooks().map((webhook) => [webhook.id, store.getWebhookSecret(webhook.id) as string]),
      );
    },
    receiverLog: async (webhookId) => {
      await seeded();
      return receivers.get(webhookId)?.log;
    },
    retrySchedule: engine.retrySchedule,
    deliveryRefusal: (url) => deliveryRefusal(url, onlyOrigins),
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

/** The emulator accepts any non-empty key; this one just makes requests look like a real client's. */
const SANDBOX_API_KEY = "sandbox-key";

interface RunningSandbox {
  /** Origin of the emulator, e.g. http://127.0.0.1:54321 (the client appends /websets/v0/...). */
  baseUrl: string;
  apiKey: string;
  handle: SandboxHandle;
  close(): Promise<void>;
}

/**
 * `--sandbox`: the demo account, seeded behind a gate so the MCP handshake answers at once. `demoReceiversOnly`
 * when remote callers reach the server (see guard.ts).
 */
export async function startSandbox(options: { demoReceiversOnly?: boolean } = {}): Promise<RunningSandbox> {
  const sandbox = await launchSandbox({ seed: "demo", seedInBackground: true, ...options });
  return { baseUrl: sandbox.emulator.baseUrl, apiKey: SANDBOX_API_KEY, handle: sandbox.handle, close: sandbox.close };
}

// ---- `exa-webhooks-mcp emulator [--port 8787] [--seed demo|empty]`: the emulator on its own, for testing code
// with exa-js or curl. The first stdout line is the base URL alone, so scripts can read it. ----

interface EmulatorCommandIo {
  /** Resolves when the emulator should stop; default: the first SIGINT or SIGTERM. */
  stop?: Promise<void>;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/** Starts the emulator, prints how to reach it, and runs until stopped; then closes everything. */
export async function runEmulatorCommand(port: number, seed: SandboxSeed, io: EmulatorCommandIo = {}): Promise<void> {
  const stdout = io.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = io.stderr ?? ((text: string) => process.stderr.write(text));
  const sandbox = await launchSandbox({ seed, port });
  const { baseUrl } = sandbox.emulator;
  stdout(`${usageLines(baseUrl).join("\n")}\n`);
  const report = sandbox.seedReport;
  stderr(
    report
      ? `exa-emulator: demo account seeded with ${report.webhooks} webhooks, ${report.events} events and ${report.attempts} delivery attempts in ${report.wallMs} ms. Ctrl+C to stop.\n`
      : "exa-emulator: empty account. Ctrl+C to stop.\n",
  );
  await (io.stop ?? nextTerminationSignal());
  await sandbox.close();
}

function usageLines(baseUrl: string): string[] {
  return [
    baseUrl,
    // exa-js appends /websets/v0/... to the origin it is given, exactly as with the real API; any key works.
    `exa-js: const exa = new Exa("any-key", "${baseUrl}"); await exa.websets.webhooks.list();`,
    `emit an event: curl -X POST ${baseUrl}${CONTROL_EVENTS_PATH} -H "x-api-key: any-key" -H "content-type: application/json" -d '{"type":"webset.item.created"}'`,
    `fix a demo receiver (--seed demo): curl -X POST ${baseUrl}${CONTROL_RECEIVERS_PATH} -H "x-api-key: any-key" -H "content-type: application/json" -d '{"webhookId":"webhook_...","behavior":"healthy"}'`,
  ];
}

function nextTerminationSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
