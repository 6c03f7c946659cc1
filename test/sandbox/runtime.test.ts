// The entry points: startSandbox (for --sandbox), runEmulatorCommand (the standalone emulator) and the
// sandbox_emit_event tool's handler over a live sandbox.
import { Exa } from "exa-js";
import { describe, expect, it } from "vitest";
import { launchSandbox, runEmulatorCommand, startSandbox } from "../../src/sandbox/launch.js";
import type { ToolContext } from "../../src/tools/define.js";
import { sandboxEmitEventTool } from "../../src/tools/sandbox-emit-event.js";
import { answering, startReceiver } from "../helpers/receiver.js";

describe("startSandbox", () => {
  it("serves the seeded demo account on loopback to any key", async () => {
    const sandbox = await startSandbox();
    try {
      expect(sandbox.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const exa = new Exa(sandbox.apiKey, sandbox.baseUrl);
      const webhooks = await exa.websets.webhooks.list({ limit: 50 });
      expect(webhooks.data.length).toBeGreaterThanOrEqual(8);
      expect(webhooks.data.some((webhook) => webhook.status === "inactive")).toBe(true);
    } finally {
      await sandbox.close();
    }
  });
});

describe("runEmulatorCommand", () => {
  it("prints the base URL first, then exa-js and control-endpoint usage, and stops cleanly", async () => {
    let printed = "";
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const running = runEmulatorCommand(0, "empty", {
      stop: stopped,
      stdout: (text) => {
        printed += text;
      },
      stderr: () => {},
    });
    await expect.poll(() => printed).not.toBe("");
    const [baseUrl, exaLine, controlLine] = printed.split("\n");
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(exaLine).toContain(`new Exa("any-key", "${baseUrl}")`);
    expect(controlLine).toContain(`${baseUrl}/_sandbox/events`);

    const exa = new Exa("whatever", baseUrl);
    expect((await exa.websets.webhooks.list()).data).toEqual([]);
    const emitted = await fetch(`${baseUrl}/_sandbox/events`, {
      method: "POST",
      headers: { "x-api-key": "k", "content-type": "application/json" },
      body: '{"type":"webset.created"}',
    });
    expect(await emitted.json()).toMatchObject({ deliveredTo: [] });

    stop();
    await running;
    await expect(fetch(`${baseUrl}/websets/v0/webhooks`)).rejects.toThrow();
  });
});

describe("sandbox_emit_event", () => {
  function contextFor(sandbox: ToolContext["sandbox"]): ToolContext {
    return { sandbox, signal: new AbortController().signal } as ToolContext;
  }

  it("emits, reports where the event goes, and points at list_webhook_attempts", async () => {
    const sandbox = await launchSandbox({ seed: "empty" });
    const receiver = await startReceiver(
      "",
      answering(() => 200),
    );
    try {
      const webhook = sandbox.emulator.store.createWebhook({ url: receiver.url, events: ["webset.idle"] });
      const input = sandboxEmitEventTool.inputSchema.parse({ type: "webset.idle" });
      const result = await sandboxEmitEventTool.handler(input, contextFor(sandbox.handle));
      expect(result.structured).toEqual({
        eventId: expect.stringMatching(/^event_/),
        type: "webset.idle",
        deliveredTo: [{ webhookId: webhook.id, url: receiver.url }],
      });
      expect(result.text).toContain(`${webhook.id} → ${receiver.url}`);
      expect(result.text).toContain(`list_webhook_attempts {"webhookId":"${webhook.id}"}`);
      await sandbox.engine.idle();
      expect(receiver.received).toHaveLength(1);

      const nobody = await sandboxEmitEventTool.handler(
        sandboxEmitEventTool.inputSchema.parse({ type: "monitor.deleted" }),
        contextFor(sandbox.handle),
      );
      expect(nobody.structured.deliveredTo).toEqual([]);
      expect(nobody.text).toContain("no active webhook subscribes to monitor.deleted");

      await expect(
        sandboxEmitEventTool.handler({ type: "webset.idle", webhookId: "webhook_zzz" }, contextFor(sandbox.handle)),
      ).rejects.toThrow(/No webhook webhook_zzz in the sandbox\. Call list_webhooks/);
    } finally {
      await sandbox.close();
      await receiver.close();
    }
  });

  it("has a strict input schema and honest annotations", () => {
    expect(sandboxEmitEventTool.sandboxOnly).toBe(true);
    expect(sandboxEmitEventTool.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: false,
    });
    expect(sandboxEmitEventTool.inputSchema.safeParse({ type: "webset.completed" }).success).toBe(false);
    expect(sandboxEmitEventTool.inputSchema.safeParse({ type: "webset.idle", extra: 1 }).success).toBe(false);
  });
});
