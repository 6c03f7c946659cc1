// Which store a process uses: --store beats EXA_WEBHOOKS_STORE beats the sandbox's memory beats the XDG file;
// and a Postgres URL is printed without its password.
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { redactedLocation, resolveStoreSpec } from "../../src/store/index.js";

describe("resolveStoreSpec", () => {
  const home = "/home/someone";
  it("defaults to the XDG state file, and ignores a relative XDG_STATE_HOME as the XDG spec says", () => {
    expect(resolveStoreSpec({ env: {}, sandbox: false, home })).toEqual({
      engine: "sqlite",
      path: "/home/someone/.local/state/exa-webhooks-mcp/state.db",
    });
    expect(resolveStoreSpec({ env: { XDG_STATE_HOME: "/var/state" }, sandbox: false, home })).toEqual({
      engine: "sqlite",
      path: "/var/state/exa-webhooks-mcp/state.db",
    });
    expect(resolveStoreSpec({ env: { XDG_STATE_HOME: "relative/state" }, sandbox: false, home })).toMatchObject({
      path: "/home/someone/.local/state/exa-webhooks-mcp/state.db",
    });
  });

  it("the sandbox uses memory unless told otherwise; the flag beats the environment", () => {
    expect(resolveStoreSpec({ env: {}, sandbox: true, home })).toEqual({ engine: "memory" });
    expect(resolveStoreSpec({ env: { EXA_WEBHOOKS_STORE: "./here.db" }, sandbox: true, home })).toEqual({
      engine: "sqlite",
      path: resolve("./here.db"),
    });
    const url = "postgresql://app:pw@db.internal:5432/exa";
    expect(resolveStoreSpec({ flag: url, env: { EXA_WEBHOOKS_STORE: "memory" }, sandbox: false, home })).toEqual({
      engine: "postgres",
      url,
    });
    expect(resolveStoreSpec({ flag: " memory ", env: {}, sandbox: false, home })).toEqual({ engine: "memory" });
  });

  it("prints a Postgres location without its password", () => {
    expect(redactedLocation({ engine: "postgres", url: "postgres://app:hunter2@db:5432/exa" })).toBe(
      "postgres://app:***@db:5432/exa",
    );
    expect(redactedLocation({ engine: "sqlite", path: join("/tmp", "s.db") })).toBe("/tmp/s.db");
  });

  it("reaches the config from --store and EXA_WEBHOOKS_STORE, without opening anything", () => {
    expect(loadConfig({ EXA_WEBHOOKS_STORE: "memory" }).store).toEqual({ engine: "memory" });
    expect(loadConfig({}, { sandbox: true }).store).toEqual({ engine: "memory" });
    expect(loadConfig({ EXA_WEBHOOKS_STORE: "memory" }, { store: "/tmp/x/state.db" }).store).toEqual({
      engine: "sqlite",
      path: "/tmp/x/state.db",
    });
  });
});
