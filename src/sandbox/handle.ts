// What sandbox-only tools may touch of the in-process sandbox. Filled in by the sandbox runtime. Kept free of
// imports so the tool registry can name it without loading the sandbox (http servers, crypto) at start-up.
export interface SandboxHandle {
  /** Creates an event of a type and delivers it to every subscribed webhook, or only to webhookId. */
  emitEvent(input: { type: string; webhookId?: string | undefined; data?: unknown }): Promise<{
    eventId: string;
    deliveredTo: { webhookId: string; url: string }[];
  }>;
}

/** Input the sandbox cannot act on; `status` is what the control route answers with. */
export class SandboxInputError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
    this.name = "SandboxInputError";
  }
}
