// What a model sees in tools/list: names, schemas and annotations, pinned by a snapshot, and its size.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/harness.js";

let harness: Harness;
let sandbox: Harness;
beforeAll(async () => {
  harness = await startHarness();
  sandbox = await startHarness({ flags: { sandbox: true } });
});
afterAll(async () => {
  await harness.close();
  await sandbox.close();
});

describe("tools/list", () => {
  it("matches the snapshot", async () => {
    const { tools } = await harness.client.listTools();
    expect(tools).toMatchSnapshot();
  });

  it("sets all four annotations on every tool; delete is destructive; reads are read-only and idempotent", async () => {
    const { tools } = await harness.client.listTools();
    for (const tool of tools) {
      const annotations = tool.annotations ?? {};
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        expect(typeof annotations[hint], `${tool.name}.${hint}`).toBe("boolean");
      }
      expect(tool.outputSchema, tool.name).toBeDefined();
      expect(tool.inputSchema.additionalProperties, tool.name).toBe(false);
    }
    const byName = new Map(tools.map((tool) => [tool.name, tool.annotations]));
    expect(byName.get("delete_webhook")?.destructiveHint).toBe(true);
    for (const name of [
      "list_webhooks",
      "get_webhook",
      "list_webhook_attempts",
      "diagnose_failures",
      "list_events",
      "get_event",
    ]) {
      expect(byName.get(name)?.readOnlyHint, name).toBe(true);
      expect(byName.get(name)?.idempotentHint, name).toBe(true);
    }
    expect(byName.get("verify_webhook_signature")?.openWorldHint).toBe(false);
  });

  // 12 KB before redeliver_events, which costs ~2 KB (eight inputs, a lean output schema); each tool's title and
  // the required fields of output schemas (a client validates results with them) ~2 KB more; never-attempted ids and the health view (issue 13) ~0.5 KB.
  it("costs a model under 17 KB of context, 19 KB with the sandbox's two extra tools", async () => {
    const plain = await harness.client.listTools();
    expect(Buffer.byteLength(JSON.stringify(plain))).toBeLessThan(17 * 1024);
    const withSandbox = await sandbox.client.listTools();
    expect(withSandbox.tools.map((tool) => tool.name)).toContain("sandbox_emit_event");
    expect(Buffer.byteLength(JSON.stringify(withSandbox))).toBeLessThan(19 * 1024);
  });

  it("every description still says when to use the tool", async () => {
    const { tools } = await sandbox.client.listTools();
    for (const tool of tools) expect(tool.description?.length ?? 0, tool.name).toBeGreaterThan(50);
  });
});
