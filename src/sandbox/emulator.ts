// The Exa Websets webhooks API emulator: a real HTTP server on loopback that tests, benches and the
// product's sandbox talk to. `startEmulator` is the one entry point; the store and fault knobs are exposed.
import type { AddressInfo } from "node:net";
import { FaultInjector } from "./faults.js";
import { type ControlHandler, createEmulatorServer, type RecordedRequest } from "./http-server.js";
import { EmulatorStore } from "./store.js";

export type { AddAttemptInput } from "./store.js";
export { EmulatorStore } from "./store.js";

interface EmulatorOptions {
  /** 0 = any free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** ms epoch; default Date.now. Drives createdAt/updatedAt/attemptedAt defaults and error timestamps. */
  clock?: () => number;
}

export interface Emulator {
  /** Origin only, e.g. "http://127.0.0.1:54321"; routes live under /websets/v0/... */
  baseUrl: string;
  /** Seed and inspect state. */
  store: EmulatorStore;
  /** Latency and one-shot/n-times fault rules. */
  faults: FaultInjector;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** Attaches the handler of extra routes outside Exa's API (the sandbox control endpoint). */
  setControlHandler(handler: ControlHandler | undefined): void;
  /** Requests received before `ready` settles wait for it, so nobody sees a half-seeded account. */
  holdRequestsUntil(ready: Promise<unknown>): void;
  /** Closes the server and destroys hung sockets. */
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  const clock = options.clock ?? Date.now;
  const store = new EmulatorStore(clock);
  const faults = new FaultInjector();
  const requests: RecordedRequest[] = [];
  const control: { handler?: ControlHandler } = {};
  const gate: { until?: Promise<unknown> } = {};
  const { server, close } = createEmulatorServer({ store, faults, requests, clock, control, gate });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = host.includes(":") ? `[${host}]` : host;
  const setControlHandler = (handler: ControlHandler | undefined): void => {
    control.handler = handler;
  };
  const holdRequestsUntil = (ready: Promise<unknown>): void => {
    const settled = ready.then(
      () => {},
      () => {},
    );
    gate.until = settled;
    void settled.then(() => {
      if (gate.until === settled) gate.until = undefined;
    });
  };
  return { baseUrl: `http://${origin}:${port}`, store, faults, requests, setControlHandler, holdRequestsUntil, close };
}
