// sandbox_emit_event refuses `data` too deep or too large to store and serve, through a real MCP client:
// nothing is stored on refusal, and list_events keeps answering afterwards.

import type { sandboxEmitEventTool } from "../../src/tools/sandbox-emit-event.js";
import { describe, expect, sandboxTest } from "../helpers/fixtures.js";
import type { OutputOf } from "../helpers/harness.js";

const it = sandboxTest({ seed: "empty" });

function nested(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let node = root;
  for (let i = 1; i < depth; i++) {
    const child: Record<string, unknown> = {};
    node.child = child;
    node = child;
  }
  return root;
}

describe("sandbox_emit_event data limits", () => {
  it("refuses data nested 5,000 deep, stores nothing, and list_events still answers", async ({
    launched: { sandbox, harness },
  }) => {
    const answer = await harness.call("sandbox_emit_event", { type: "webset.created", data: nested(5_000) });
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/data is nested deeper than 32 levels/);
    expect(answer.text).toMatch(/omit data/);
    expect(answer.text).not.toMatch(/call stack/i);
    expect(sandbox.emulator.store.listEvents()).toEqual([]);

    const listed = await harness.call("list_events", {});
    expect(listed.isError).toBe(false);
  });

  it("refuses data over the size limit with the limit in the message", async ({ launched: { sandbox, harness } }) => {
    const answer = await harness.call("sandbox_emit_event", {
      type: "webset.created",
      data: { blob: "x".repeat(300_000) },
    });
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/data is \d+ bytes as JSON; the sandbox accepts at most 262144/);
    expect(sandbox.emulator.store.listEvents()).toEqual([]);
  });

  it("accepts data at the depth limit and serves it back", async ({ launched: { harness } }) => {
    const answer = await harness.call("sandbox_emit_event", { type: "webset.created", data: nested(32) });
    expect(answer.isError).toBe(false);
    const { eventId } = answer.structured as OutputOf<typeof sandboxEmitEventTool>;
    const fetched = await harness.call("get_event", { eventId });
    expect(fetched.isError).toBe(false);
    expect((await harness.call("list_events", {})).isError).toBe(false);
  });

  it("the control endpoint refuses the same data with a 400", async ({ launched: { sandbox } }) => {
    const response = await fetch(`${sandbox.emulator.baseUrl}/_sandbox/events`, {
      method: "POST",
      headers: { "x-api-key": "k", "content-type": "application/json" },
      body: JSON.stringify({ type: "webset.created", data: nested(500) }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/nested deeper than 32 levels/);
  });
});
