// What the ledger tests share: the emulator as Exa with one webhook whose events all failed, a receiver on
// 127.0.0.1 that verifies Exa-Signature and counts what it got, and the built bin on a given store.
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import { builtBin, type ClientSession, type Command, spawnBuiltServer, TEST_API_KEY } from "../helpers/harness.js";
import { type Behaviour, type Received, type Receiver, startReceiver } from "../helpers/receiver.js";
import { seedUndelivered } from "../helpers/seed.js";

export const SECRET = "whsec_ledger_test_5d2c81f0a9e3";
export const WEBHOOK_ID = "webhook_ledger_test";

export interface LedgerWorld {
  emulator: Emulator;
  receiver: Receiver;
  eventIds: string[];
  /** The built bin's environment for this world (Exa = the emulator, the webhook's secret known). */
  env: Record<string, string>;
  /** How many POSTs the receiver got per event id. */
  postsPerEvent(): Map<string, number>;
  close(): Promise<void>;
}

export async function startWorld(
  events: number,
  behave?: (request: Received, n: number) => Behaviour,
): Promise<LedgerWorld> {
  const emulator = await startEmulator();
  const receiver = await startReceiver(SECRET, behave);
  emulator.store.createWebhook({ id: WEBHOOK_ID, secret: SECRET, url: receiver.url, events: ["webset.item.created"] });
  const eventIds = seedUndelivered(emulator.store, {
    webhookId: WEBHOOK_ID,
    count: events,
    types: ["webset.item.created"],
  });
  return {
    emulator,
    receiver,
    eventIds,
    env: {
      EXA_API_KEY: TEST_API_KEY,
      EXA_BASE_URL: emulator.baseUrl,
      EXA_WEBHOOK_SECRETS: `${WEBHOOK_ID}=${SECRET}`,
    },
    postsPerEvent() {
      const counts = new Map<string, number>();
      for (const request of receiver.received) {
        const id = request.eventId as string;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return counts;
    },
    async close() {
      await receiver.close();
      await emulator.close();
    },
  };
}

/** The built bin over stdio on `store`. */
export function binOn(world: LedgerWorld, store: string, env: Record<string, string> = {}): Promise<ClientSession> {
  return spawnBuiltServer(["--store", store], { ...world.env, ...env });
}

/** The built bin as a command (for startBin / unshare wrappers). */
export function binCommand(world: LedgerWorld, args: string[], env: Record<string, string> = {}): Command {
  return builtBin(args, { ...world.env, ...env });
}
