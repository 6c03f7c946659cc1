// The engines every contract test runs against: memory, a SQLite file, and a real PostgreSQL (a fresh database
// per store on the cluster EXA_WEBHOOKS_TEST_POSTGRES names; scripts/postgres.sh start prints one). Without
// that variable the Postgres tests fail, saying how to set it: they never pass by being skipped.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openStore } from "../../src/store/open.js";
import type { Store, StoreSpec } from "../../src/store/types.js";

export const TEST_POSTGRES = process.env.EXA_WEBHOOKS_TEST_POSTGRES;
export const NO_POSTGRES_MESSAGE =
  "EXA_WEBHOOKS_TEST_POSTGRES is not set: start a throwaway cluster with `scripts/postgres.sh start` and export the URL it prints (npm test does this itself).";

export interface EngineUnderTest {
  name: "memory" | "sqlite" | "postgres";
  /** A spec for a new, empty store. */
  freshSpec(): Promise<StoreSpec>;
}

const cleanups: (() => Promise<void>)[] = [];

export async function cleanupEngines(): Promise<void> {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {});
}

export function tempDir(prefix = "exa-store-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A new database on the test cluster; dropped at cleanup. */
export async function freshPostgresUrl(adminUrl: string): Promise<string> {
  const name = `exa_store_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  cleanups.push(async () => {
    const dropper = new pg.Client({ connectionString: adminUrl });
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => dropper.end());
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export const ENGINES: EngineUnderTest[] = [
  { name: "memory", freshSpec: async () => ({ engine: "memory" }) },
  { name: "sqlite", freshSpec: async () => ({ engine: "sqlite", path: join(tempDir(), "state.db") }) },
  {
    name: "postgres",
    freshSpec: async () => {
      if (!TEST_POSTGRES) throw new Error(NO_POSTGRES_MESSAGE);
      return { engine: "postgres", url: await freshPostgresUrl(TEST_POSTGRES) };
    },
  },
];

/** Opens a store or fails the test with the reason it could not. */
export async function mustOpen(spec: StoreSpec): Promise<Store> {
  const opened = await openStore(spec);
  if (!opened.ok) throw new Error(`store did not open: ${JSON.stringify(opened.unavailable)}`);
  cleanups.push(() => opened.store.close().catch(() => {}));
  return opened.store;
}
