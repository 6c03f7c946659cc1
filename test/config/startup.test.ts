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
