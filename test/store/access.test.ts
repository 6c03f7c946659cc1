// The lazy handle the server holds: nothing is created until the first open, concurrent first calls share one
// open, and a store that cannot open is the answer each time, not an exception.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createStoreAccess } from "../../src/store/index.js";
import { cleanupEngines, tempDir } from "./engines.js";

afterAll(cleanupEngines);

describe("createStoreAccess", () => {
  it("touches nothing until the first open, and concurrent first opens share one store", async () => {
    const path = join(tempDir(), "state", "state.db");
    const access = createStoreAccess({ engine: "sqlite", path });
    expect(existsSync(join(path, ".."))).toBe(false);
    const [one, two] = await Promise.all([access.open(), access.open()]);
    if (!one.ok || !two.ok) throw new Error("the store should open");
    expect(one.store).toBe(two.store);
    expect(existsSync(path)).toBe(true);
    await access.close();
  });

  it("keeps an open failure as its answer", async () => {
    const access = createStoreAccess({ engine: "postgres", url: "postgres://app@127.0.0.1:1/exa" });
    const first = await access.open();
    expect(first).toMatchObject({ ok: false, unavailable: { reason: "postgres-unreachable" } });
    expect(await access.open()).toBe(first);
    await access.close();
  });
});
