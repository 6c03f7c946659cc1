// What sandbox-only tools may touch of the in-process sandbox. Filled in by the sandbox runtime.
export interface SandboxHandle {
  /** Creates an event of a type and delivers it to every subscribed webhook, or only to webhookId. */
  emitEvent(input: { type: string; webhookId?: string | undefined; data?: unknown }): Promise<{
    eventId: string;
    deliveredTo: { webhookId: string; url: string }[];
  }>;
}
