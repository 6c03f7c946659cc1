// Starts one local receiver per misbehaviour of the demo layout (each on its own loopback port) and the
// closed-port URL. Signature-checking receivers read secrets lazily: the webhooks are created afterwards.
import { newWebhookSecret } from "../ids.js";
import {
  crashingReceiver,
  flakyReceiver,
  missingRouteReceiver,
  redirectingReceiver,
  signatureCheckingReceiver,
  slowReceiver,
} from "../receivers/behaviors.js";
import { closedPortUrl, startReceiver } from "../receivers/server.js";
import { type DemoReceiverKind, FLAKY_EVERY, HEALTHY_BLIP_EVERY } from "./layout.js";

/** Longer than the runtime delivery timeout (10 s), so runtime deliveries to it time out too. */
const SLOW_RECEIVER_DELAY_MS = 12_000;

export interface DemoReceivers {
  urlOf(kind: DemoReceiverKind): string;
  /** Tells a signature-checking receiver the secret of a webhook that points at it. */
  addSecret(kind: DemoReceiverKind, secret: string): void;
  close(): Promise<void>;
}

export async function startDemoReceivers(): Promise<DemoReceivers> {
  const secrets = new Map<DemoReceiverKind, string[]>();
  const secretsOf = (kind: DemoReceiverKind) => () => secrets.get(kind) ?? [];
  // The billing receiver still checks the secret of a webhook that was deleted and recreated.
  const staleSecret = newWebhookSecret();

  const started = await Promise.all([
    startReceiver(flakyReceiver(HEALTHY_BLIP_EVERY, signatureCheckingReceiver(secretsOf("healthy")))),
    startReceiver(flakyReceiver(FLAKY_EVERY, signatureCheckingReceiver(secretsOf("flaky")))),
    startReceiver(crashingReceiver()),
    startReceiver(missingRouteReceiver()),
    startReceiver(signatureCheckingReceiver(() => [staleSecret])),
    startReceiver(slowReceiver(SLOW_RECEIVER_DELAY_MS)),
    startReceiver(redirectingReceiver()),
  ]);
  const [healthy, flaky, crashing, missingRoute, wrongSecret, slow, redirect] = started;
  const urls: Record<DemoReceiverKind, string> = {
    healthy: healthy.url,
    flaky: flaky.url,
    crashing: crashing.url,
    missingRoute: missingRoute.url,
    wrongSecret: wrongSecret.url,
    slow: slow.url,
    redirect: redirect.url,
    closedPort: await closedPortUrl(),
  };
  return {
    urlOf: (kind) => urls[kind],
    addSecret: (kind, secret) => {
      secrets.set(kind, [...(secrets.get(kind) ?? []), secret]);
    },
    close: async () => {
      await Promise.all(started.map((receiver) => receiver.close()));
    },
  };
}
