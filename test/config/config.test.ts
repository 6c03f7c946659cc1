// Configuration from env: defaults, bounds, and warnings that do not stop the server.
import { describe, expect, it } from "vitest";
import { DEFAULT_BASE_URL, loadConfig } from "../../src/config.js";
import { ConfigError } from "../../src/errors.js";
import { selectTools } from "../../src/tools/catalog.js";

describe("loadConfig", () => {
  it("uses the documented defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      apiKey: undefined,
      baseUrl: DEFAULT_BASE_URL,
      timeoutMs: 30_000,
      maxConcurrency: 4,
      diagnoseBudgetMs: 60_000,
      readOnly: false,
      sandbox: false,
    });
  });

  it("warns and falls back on a bad number, caps a huge one", () => {
    const warnings: string[] = [];
    const config = loadConfig({ EXA_TIMEOUT_MS: "soon", EXA_MAX_CONCURRENCY: "1000" }, {}, (w) => warnings.push(w));
    expect(config.timeoutMs).toBe(30_000);
    expect(config.maxConcurrency).toBe(32);
    expect(warnings).toEqual([
      'EXA_TIMEOUT_MS="soon" is not a whole number of at least 1; using 30000.',
      "EXA_MAX_CONCURRENCY=1000 is above the maximum; using 32.",
    ]);
  });

  it("accepts the base URL with or without /websets and a trailing slash; rejects non-http", () => {
    expect(loadConfig({ EXA_BASE_URL: "http://127.0.0.1:8787/websets/" }).baseUrl).toBe("http://127.0.0.1:8787");
    expect(loadConfig({ EXA_BASE_URL: "https://api.exa.ai/websets/v0" }).baseUrl).toBe("https://api.exa.ai");
    expect(loadConfig({ EXA_API_KEY: "  k3y9  " }).apiKey).toBe("k3y9");
    expect(() => loadConfig({ EXA_BASE_URL: "ftp://x" })).toThrow(ConfigError);
    expect(() => loadConfig({ EXA_BASE_URL: "not a url" })).toThrow(/EXA_BASE_URL is not a URL/);
  });
});

describe("EXA_BASE_URL over plain http", () => {
  it("is refused for a host that is not loopback: the key would travel in clear text", () => {
    for (const url of ["http://exa.invalid", "http://10.0.0.5:8787", "http://[fd00::1]/websets"]) {
      expect(() => loadConfig({ EXA_BASE_URL: url }), url).toThrow(ConfigError);
    }
    expect(() => loadConfig({ EXA_BASE_URL: "http://exa.invalid" })).toThrow(
      'EXA_BASE_URL "http://exa.invalid" is plain http to a host that is not loopback, so EXA_API_KEY would travel in clear text. Use https, or set EXA_ALLOW_INSECURE_BASE_URL=1 if that network is trusted.',
    );
  });

  it("is allowed to loopback, or anywhere with EXA_ALLOW_INSECURE_BASE_URL=1", () => {
    for (const url of ["http://127.0.0.1:8787", "http://127.8.9.10", "http://localhost:3000", "http://[::1]:80"]) {
      expect(loadConfig({ EXA_BASE_URL: url }).baseUrl, url).toBe(url.replace(/:80$/, ""));
    }
    const insecure = loadConfig({ EXA_BASE_URL: "http://exa.invalid", EXA_ALLOW_INSECURE_BASE_URL: "1" });
    expect(insecure.baseUrl).toBe("http://exa.invalid");
    expect(loadConfig({ EXA_BASE_URL: "https://exa.invalid" }).baseUrl).toBe("https://exa.invalid");
  });
});

describe("selectTools", () => {
  const names = (flags: Parameters<typeof loadConfig>[1]) =>
    selectTools(loadConfig({}, flags)).map((tool) => tool.name);

  it("--read-only drops every tool that changes state, the sandbox's emitter included", () => {
    const readOnly = names({ readOnly: true, sandbox: true });
    for (const write of ["create_webhook", "update_webhook", "delete_webhook", "sandbox_emit_event"]) {
      expect(readOnly).not.toContain(write);
    }
    expect(readOnly).toContain("diagnose_failures");
  });

  it("--read-only keeps exactly the tools whose readOnlyHint is true", () => {
    const all = selectTools(loadConfig({}, { sandbox: true }));
    const readOnly = names({ readOnly: true, sandbox: true });
    expect(readOnly).toEqual(all.filter((tool) => tool.annotations.readOnlyHint).map((tool) => tool.name));
  });

  it("sandbox tools only with --sandbox; --tools narrows", () => {
    expect(names({})).not.toContain("sandbox_emit_event");
    expect(names({ sandbox: true })).toContain("sandbox_emit_event");
    expect(names({ tools: ["get_event", "list_events"] })).toEqual(["list_events", "get_event"]);
  });
});
