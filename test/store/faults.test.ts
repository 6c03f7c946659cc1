// What a store that cannot open does: a corrupt file is named and kept byte for byte, a schema from the future is
// refused with nothing written, a read-only disk and a Postgres that is down are typed reasons with a next step.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { notRememberedBecause } from "../../src/store/index.js";
import { openStore } from "../../src/store/open.js";
import type { StoreOpening, StoreUnavailable } from "../../src/store/types.js";
import { cleanupEngines, freshPostgresUrl, mustOpen, NO_POSTGRES_MESSAGE, TEST_POSTGRES, tempDir } from "./engines.js";

afterAll(cleanupEngines);

const digest = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

function refusal(opened: StoreOpening): StoreUnavailable {
  if (opened.ok) throw new Error("the store opened, but it should have been refused");
  return opened.unavailable;
}

describe("a SQLite store that cannot be used", () => {
  it("a corrupt file is named, kept byte for byte, and nothing is created beside it", async () => {
    const dir = tempDir();
    const path = join(dir, "state.db");
    writeFileSync(path, Buffer.from("this is not a SQLite database, only some text a crash left behind\n".repeat(80)));
    const before = digest(path);
    const unavailable = refusal(await openStore({ engine: "sqlite", path }));
    expect(unavailable).toMatchObject({ reason: "corrupt", location: path, detail: "file is not a database" });
    const because = notRememberedBecause(unavailable);
    expect(because).toContain(path);
    expect(because).toContain("kept as is");
    expect(because).toMatch(/Move .* aside/);
    expect(digest(path)).toBe(before);
    expect(readdirSync(dir)).toEqual(["state.db"]);
  });

  it("a store written by a newer schema is refused, and neither the file nor its WAL changes", async () => {
    const path = join(tempDir(), "state.db");
    const store = await mustOpen({ engine: "sqlite", path });
    await store.ledger.claim({ account: store.accountId("k-one"), webhookId: "w", eventId: "e", target: "t" });
    await store.close();
    const future = new DatabaseSync(path);
    future.prepare("UPDATE meta SET value = '7' WHERE key = 'schema_version'").run();
    future.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    future.close();
    const files = readdirSync(join(path, "..")).sort();
    const sums = files.map((file) => digest(join(path, "..", file)));
    const mtime = statSync(path).mtimeMs;

    const unavailable = refusal(await openStore({ engine: "sqlite", path }));
    expect(unavailable.reason).toBe("newer-schema");
    expect(notRememberedBecause(unavailable)).toMatch(
      /newer exa-webhooks-mcp \(schema version 7; this version reads up to 1\)\. Upgrade/,
    );
    expect(readdirSync(join(path, "..")).sort()).toEqual(files);
    expect(files.map((file) => digest(join(path, "..", file)))).toEqual(sums);
    expect(statSync(path).mtimeMs).toBe(mtime);
  });

  it("two opens of a new file at once both succeed on one migrated schema and one salt", async () => {
    const path = join(tempDir(), "state.db");
    const [one, two] = await Promise.all([
      openStore({ engine: "sqlite", path }),
      openStore({ engine: "sqlite", path }),
    ]);
    if (!one.ok || !two.ok) throw new Error("both opens should succeed");
    expect(one.store.accountId("k")).toBe(two.store.accountId("k"));
    await one.store.close();
    await two.store.close();
  });
});

describe("a PostgreSQL store that cannot be used", () => {
  it("a server that is down is a typed reason naming the address, without the password", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const unavailable = refusal(
      await openStore({ engine: "postgres", url: "postgres://app:s3cret-pw@127.0.0.1:1/exa" }),
    );
    expect(unavailable).toMatchObject({
      reason: "postgres-unreachable",
      location: "postgres://app:***@127.0.0.1:1/exa",
    });
    const because = notRememberedBecause(unavailable);
    expect(because).toContain("ECONNREFUSED");
    expect(because).not.toContain("s3cret-pw");
    expect(because).toMatch(/Check that the server is up/);
  });

  it("a database written by a newer schema is refused and left as it was", async () => {
    if (!TEST_POSTGRES) throw new Error(NO_POSTGRES_MESSAGE);
    const url = await freshPostgresUrl(TEST_POSTGRES);
    const store = await mustOpen({ engine: "postgres", url });
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("UPDATE meta SET value = '9' WHERE key = 'schema_version'");
      const unavailable = refusal(await openStore({ engine: "postgres", url }));
      expect(unavailable.reason).toBe("newer-schema");
      expect(unavailable.detail).toBe("schema version 9; this version reads up to 1");
      const { rows } = await client.query("SELECT value FROM meta WHERE key = 'schema_version'");
      expect(rows).toEqual([{ value: "9" }]);
    } finally {
      await client.end();
    }
  });
});

describe("the state directory", () => {
  it("is created on first open, not before", async () => {
    const path = join(tempDir(), "nested", "deeper", "state.db");
    expect(existsSync(join(path, ".."))).toBe(false);
    await mustOpen({ engine: "sqlite", path });
    expect(existsSync(path)).toBe(true);
  });
});
