// What a listener tells the outside world, as structure: the loop emits these, and render.ts (a terminal)
// or the forward_events tool (a model) turns them into text at the edge.

/** Where the signing secret of the forwards comes from. */
export type SecretSource =
  /** The webhook's real secret, from EXA_WEBHOOK_SECRETS. */
  | "env"
  /** The webhook's real secret, from --secret. */
  | "flag"
  /** The sandbox's own secret of the webhook. */
  | "sandbox"
  /** A local forwarding secret minted once and kept in the store: not an Exa secret. */
  | "local";

export interface ListenBanner {
  kind: "banner";
  webhookId: string | undefined;
  types: string[];
  target: string;
  secretSource: SecretSource;
  /** Printed only when it is the local forwarding secret (never an Exa secret). */
  localSecret: string | undefined;
  /** The cursor was found in the store: listening resumes after its watermark. */
  resumedAfter: string | undefined;
  /** A fresh cursor: the instant it starts from (Exa's clock, or --since). */
  startsAt: string | undefined;
  /** --since reached past Exa's 60-day retention: this span is gone. */
  expired: { from: string; until: string } | undefined;
  /** Where the cursor and ledger live, e.g. "sqlite /home/me/.local/state/…" or "memory". */
  store: string;
  /** --sandbox: how to emit an event into the running sandbox (a curl command line). */
  sandboxEmit: string | undefined;
}

export interface ForwardStarted {
  kind: "event";
  eventId: string;
  type: string;
  createdAt: string;
}

export interface ForwardResult {
  kind: "result";
  eventId: string;
  type: string;
  url: string;
  /** HTTP status; 0 when no complete answer came (refused, reset, timed out). */
  statusCode: number;
  durationMs: number;
  /** 2xx. */
  accepted: boolean;
  /** Why it failed, already cleaned to one line (the receiver's words are untrusted). */
  reason: string | undefined;
}

export interface ForwardSkipped {
  kind: "skipped";
  eventId: string;
  type: string;
  /** When it was accepted at this target before (by a listener or redeliver_events). */
  acceptedAt: string | undefined;
}

export interface ListenNotice {
  kind: "notice";
  level: "info" | "warning" | "error";
  message: string;
}

export interface ListenStopped {
  kind: "stopped";
  forwarded: number;
  failed: number;
  skipped: number;
  /** The watermark saved: the next run resumes after it. */
  watermark: string | undefined;
}

export type ListenReport =
  | ListenBanner
  | ForwardStarted
  | ForwardResult
  | ForwardSkipped
  | ListenNotice
  | ListenStopped;
