// Start-up refusals of the built bin: configuration that cannot work is said on stderr before anything runs.
import { describe, expect, it } from "vitest";
import { runBin, TEST_API_KEY } from "../helpers/harness.js";

describe("EXA_BASE_URL over plain http", () => {
  it("to a host that is not loopback, the bin refuses to start (exit 1) and says why", () => {
    const result = runBin([], { EXA_API_KEY: TEST_API_KEY, EXA_BASE_URL: "http://exa.invalid" });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("EXA_API_KEY would travel in clear text");
    expect(result.stderr).toContain("EXA_ALLOW_INSECURE_BASE_URL=1");
    expect(result.stderr).not.toContain(TEST_API_KEY);
  });

  it("with EXA_ALLOW_INSECURE_BASE_URL=1 the bin starts (and ends with its stdin)", () => {
    const result = runBin([], {
      EXA_API_KEY: TEST_API_KEY,
      EXA_BASE_URL: "http://exa.invalid",
      EXA_ALLOW_INSECURE_BASE_URL: "1",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

describe("a --tools selection that these flags leave empty", () => {
  it("--tools sandbox_emit_event without --sandbox is a usage error naming what remains", () => {
    const result = runBin(["--tools", "sandbox_emit_event"], { EXA_API_KEY: TEST_API_KEY });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("--tools leaves no tool to serve: sandbox_emit_event needs --sandbox.");
    expect(result.stderr).toContain("Tools available with these flags: list_webhooks, get_webhook, create_webhook");
    expect(result.stderr).not.toContain("Server does not support tools");
  });

  it("--read-only --tools create_webhook is a usage error naming the read-only tools", () => {
    const result = runBin(["--read-only", "--tools", "create_webhook,delete_webhook"], { EXA_API_KEY: TEST_API_KEY });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      "--tools leaves no tool to serve: create_webhook and delete_webhook change state, which --read-only excludes.",
    );
    expect(result.stderr).toMatch(
      /Tools available with these flags: list_webhooks, get_webhook, list_webhook_attempts/,
    );
    expect(result.stderr).not.toMatch(/available with these flags:.*create_webhook/);
  });
});
