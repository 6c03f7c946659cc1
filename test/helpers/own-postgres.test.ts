// A test's own PostgreSQL moves to the next port when its first one is taken (the failure that once broke a run).
import { createServer } from "node:net";
import { expect, it } from "vitest";
import { ownPostgres } from "./own-postgres.js";

it("starts on the next port when the first is held by something else", async () => {
  const base = 22_000;
  const firstPort = base + (process.pid % 200) * 5;
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(firstPort, "127.0.0.1", resolve));
  const cluster = ownPostgres(base);
  try {
    const url = cluster.start();
    expect(new URL(url).port).toBe(String(firstPort + 1));
  } finally {
    cluster.stop();
    await new Promise((resolve) => squatter.close(resolve));
  }
}, 60_000);
