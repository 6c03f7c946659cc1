// notifications/progress for one tool call, and the gap the answer keeps after the last of them. Clients built
// on the MCP SDK dispatch a notification a microtask after they read it but settle the call at once, so a
// progress that shares a read with the answer arrives for a token the client has already retired: the SDK
// reports "Received a progress notification for an unknown token" (typescript-sdk#2580), and Claude Code and
// Cursor have closed the whole stdio connection over it. Writing the answer no sooner than
// PROGRESS_ANSWER_GAP_MS after the last progress keeps the two in separate reads unless the client stalls
// that long.
import type { ServerContext } from "@modelcontextprotocol/server";
import type { ToolContext } from "./define.js";

export const PROGRESS_ANSWER_GAP_MS = 100;

export interface ProgressReporter {
  report: ToolContext["progress"];
  /** Resolves once the answer may follow: at once without progress, else the gap after the last one. */
  settled(): Promise<void>;
}

/**
 * Progress for the request in `ctx`, when the client sent a progressToken (a no-op otherwise). The spec wants
 * progress to increase with every notification, so a value that does not (a phase that restarts its count) is
 * not sent. `clean` is applied to each message (the redactor).
 */
export function progressReporter(ctx: ServerContext, clean: (message: string) => string): ProgressReporter {
  const progressToken = ctx.mcpReq._meta?.progressToken;
  let last = Number.NEGATIVE_INFINITY;
  let lastSentAt: number | undefined;
  // A tool may report without awaiting; the answer still waits for every notification it started.
  let sending: Promise<unknown> = Promise.resolve();
  return {
    report: async (progress, total, message) => {
      if (progressToken === undefined || !(progress > last)) return;
      last = progress;
      const sent = ctx.mcpReq
        .notify({
          method: "notifications/progress",
          params: {
            progressToken,
            progress,
            ...(total === undefined ? {} : { total }),
            ...(message ? { message: clean(message) } : {}),
          },
        })
        .catch(() => {})
        .then(() => {
          lastSentAt = performance.now();
        });
      sending = Promise.all([sending, sent]);
      await sent;
    },
    settled: async () => {
      await sending;
      if (lastSentAt === undefined) return;
      const until = lastSentAt + PROGRESS_ANSWER_GAP_MS;
      // A timer may fire a fraction of a millisecond early; wait again rather than answer inside the gap.
      for (let now = performance.now(); now < until; now = performance.now())
        await new Promise((resolve) => setTimeout(resolve, Math.ceil(until - now)));
    },
  };
}
