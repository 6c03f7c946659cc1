// The delivery guard: the sandbox sends to loopback only, decided from the URL text before any fetch.
import { vi } from "vitest";
import { isLoopbackUrl } from "../../src/exa/hosts.js";
import { LOOPBACK_ONLY_MESSAGE } from "../../src/sandbox/delivery/guard.js";
import { describe, expect, sandboxTest } from "../helpers/fixtures.js";

const it = sandboxTest({ seed: "empty", retryDelaysMs: [5] });

describe("isLoopbackUrl", () => {
  it.each([
    "http://127.0.0.1:3000/webhooks/exa",
    "https://127.255.10.1/x",
    "http://localhost:8080/hook",
    "http://LOCALHOST/hook",
    "http://[::1]:9000/hook",
    "http://127.1/hook", // the URL parser normalises it to 127.0.0.1, which is where fetch would connect
  ])("allows %s", (url) => {
    expect(isLoopbackUrl(url)).toBe(true);
  });

  it.each([
    "https://example.com/webhooks",
    "http://10.0.0.5/hook",
    "http://192.168.1.10/hook",
    "http://0.0.0.0:3000/hook",
    "http://127.0.0.1.nip.io/hook",
    "http://localhost.evil.com/hook",
    "http://localhost./hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::2]/hook",
    "ftp://127.0.0.1/hook",
    "not a url",
  ])("refuses %s", (url) => {
    expect(isLoopbackUrl(url)).toBe(false);
  });
});

describe("deliveries to a non-loopback webhook", () => {
  it("records failed attempts with the loopback message and sends nothing", async ({ sandbox, onTestFinished }) => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    onTestFinished(() => {
      vi.restoreAllMocks();
    });
    const webhook = sandbox.emulator.store.createWebhook({
      url: "https://example.com/webhooks/exa",
      events: ["webset.idle"],
    });
    const { deliveredTo } = await sandbox.handle.emitEvent({ type: "webset.idle" });
    expect(deliveredTo).toEqual([{ webhookId: webhook.id, url: "https://example.com/webhooks/exa" }]);
    await sandbox.engine.idle();

    const attempts = sandbox.emulator.store.listAttempts(webhook.id);
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ successful: false, responseStatusCode: 0, responseBody: LOOPBACK_ONLY_MESSAGE });
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
