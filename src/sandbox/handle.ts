// What sandbox-only tools (and in-process tests) may touch of the running sandbox. Filled in by launch.ts.
// Kept free of sandbox imports so the tool registry can name it without loading the sandbox (http servers,
// crypto): it imports the error type every tool already loads and the receiver behaviours' catalog (plain data).
import { ToolInputError } from "../errors.js";
import type { ReceiverBehavior } from "./receivers/catalog.js";

export { RECEIVER_BEHAVIORS, type ReceiverBehavior, receiverChoicesText } from "./receivers/catalog.js";

/** One POST a demo receiver got, whatever it answered. */
export interface ReceivedDelivery {
  /** ISO time the request arrived. */
  receivedAt: string;
  /** From the JSON body, when it parsed. */
  eventId: string | undefined;
  eventType: string | undefined;
  /** The request carried `Exa-Redelivery: 1` (a replay, not an Exa delivery). */
  redelivery: boolean;
  /** Exa-Signature verified against the webhook's secret (t within 300 s, HMAC-SHA256 of "<t>.<raw body>"). */
  signatureValid: boolean;
  /** What the receiver answered; 0 while unanswered or when the sender gave up first. */
  statusCode: number;
  /** Answered 2xx with a valid signature: the receiver processed the event. */
  accepted: boolean;
}

export interface SetReceiverResult {
  webhookId: string;
  /** metadata.name of the webhook, when it has one. */
  name: string | undefined;
  /** The receiver's own URL (the webhook may have been pointed elsewhere since). */
  url: string;
  webhookUrl: string;
  webhookStatus: string;
  behavior: ReceiverBehavior;
  previous: ReceiverBehavior;
}

export interface SandboxHandle {
  /** Creates an event of a type and delivers it to every subscribed webhook, or only to webhookId. */
  emitEvent(input: { type: string; webhookId?: string | undefined; data?: unknown }): Promise<{
    eventId: string;
    deliveredTo: { webhookId: string; url: string }[];
  }>;
  /** Changes how the demo receiver behind a webhook answers from now on (e.g. "healthy" to fix it). */
  setReceiver(input: { webhookId: string; behavior: ReceiverBehavior }): Promise<SetReceiverResult>;
  /** The signing secret of a sandbox webhook (demo or created), as EXA_WEBHOOK_SECRETS would give it. */
  webhookSecret(webhookId: string): Promise<string | undefined>;
  /** Every live sandbox webhook's id → secret. */
  webhookSecrets(): Promise<Record<string, string>>;
  /** Every POST the demo receiver behind a webhook got, oldest first; undefined when it has no demo receiver. */
  receiverLog(webhookId: string): Promise<readonly ReceivedDelivery[] | undefined>;
  /** How the sandbox retries a failed delivery, so a diagnosis can say what is still being retried. */
  readonly retrySchedule: { delaysMs: readonly number[]; timeoutMs: number };
  /** Why the sandbox would not POST to `url` (not loopback; not a demo receiver when served remotely), or undefined. */
  deliveryRefusal(url: string): string | undefined;
}

/**
 * Input the sandbox cannot act on; `status` is what the control route answers with. A ToolInputError, so a
 * sandbox tool's caller reads it like every other bad input, through the one error mapper.
 */
export class SandboxInputError extends ToolInputError {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
    this.name = "SandboxInputError";
  }
}
