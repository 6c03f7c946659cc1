// What the store keeps of a diagnosis (each failure group's sample, for the next incremental scan) never holds a
// secret: a receiver that echoes the webhook's signing secret, or the API key, into its answer has it replaced
// before the sample is written. Checked on the SQLite file's bytes, through the built bin.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import { type ClientSession, spawnBuiltServer, TEST_API_KEY } from "../helpers/harness.js";

const SECRET = "whsec_EchoedBackByTheReceiver42";
let emulator: Emulator;
let server: ClientSession;
const dir = mkdtempSync(join(tmpdir(), "exa-webhooks-secrets-"));
const file = join(dir, "state.db");

beforeAll(async () => {
  emulator = await startEmulator();
  emulator.store.createWebhook({ id: "wh_echo", url: "https://example.com/hook", events: ["webset.idle"] });
  for (const body of [`bad signature; expected key ${SECRET}`, `unauthorized: x-api-key ${TEST_API_KEY}`]) {
    emulator.store.addAttempt({
      webhookId: "wh_echo",
      eventType: "webset.idle",
      responseStatusCode: 401,
      responseBody: body,
    });
  }
  server = await spawnBuiltServer(["--store", file], {
    EXA_API_KEY: TEST_API_KEY,
    EXA_BASE_URL: emulator.baseUrl,
    EXA_WEBHOOK_SECRETS: `wh_echo=${SECRET}`,
  });
});
afterAll(async () => {
  await server?.close();
  await emulator?.close();
});

describe("the store keeps no secret a receiver echoed", () => {
  it("a diagnosis remembers its samples with the secret and the key replaced", async () => {
    const answer = await server.call("diagnose_failures", { webhookId: "wh_echo" });
    expect(answer.isError, answer.text).toBe(false);
    const kept = readFileSync(file).toString("latin1") + readWal();
    expect(kept).toContain("[redacted]");
    expect(kept).not.toContain(SECRET);
    expect(kept).not.toContain(TEST_API_KEY);
  });
});

/** SQLite in WAL mode may hold the newest pages in the -wal file until a checkpoint. */
function readWal(): string {
  try {
    return readFileSync(`${file}-wal`).toString("latin1");
  } catch {
    return "";
  }
}
