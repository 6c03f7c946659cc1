// create_webhook and update_webhook accept only URLs whose host is a DNS name or an IP literal: a host like
// `a$(id).test` parses as a URL but would run code when pasted into a shell command.
import { describe, expect, sharedHarnessTest } from "../helpers/fixtures.js";

const it = sharedHarnessTest().extend(
  "webhookId",
  { scope: "file" },
  ({ sharedHarness }) =>
    sharedHarness.emulator.store.createWebhook({ url: "https://example.com/h", events: ["webset.idle"] }).id,
);

const HOSTILE_URLS = [
  "https://a$(id).test/hook",
  "https://a`reboot`.example/",
  "https://x;rm.example/",
  "https://it's.example/",
  "https://a..b.example/",
  "https://-lead.example/",
];

describe("webhook URL hosts", () => {
  it.for(HOSTILE_URLS)("create_webhook refuses %s and says why", async (url, { sharedHarness: harness }) => {
    const before = harness.emulator.requests.length;
    const answer = await harness.call("create_webhook", { url, events: ["webset.idle"] });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("host is not a valid DNS name, IPv4 or bracketed IPv6 address");
    expect(harness.emulator.requests.length).toBe(before);
  });

  it.for(HOSTILE_URLS)("update_webhook refuses %s", async (url, { sharedHarness: harness, webhookId }) => {
    const answer = await harness.call("update_webhook", { webhookId, url });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain("host is not a valid DNS name");
  });

  it.for([
    "https://hooks.example.com/exa",
    "https://xn--bcher-kva.example/",
    "https://bücher.example/",
    "http://127.0.0.1:8080/hook",
    "https://[2001:db8::1]:8443/hook",
    "https://my_service.internal.example/x",
  ])("accepts %s", async (url, { sharedHarness: harness, webhookId }) => {
    const answer = await harness.call("update_webhook", { webhookId, url });
    expect(answer.isError, answer.text).toBe(false);
  });
});
