// Random arguments at the BUILT server over stdio (the in-memory property test covers volume): the process
// survives and every answer is a well-formed result. (stdio.test.ts checks stdout line by line.)
// Seeded: the same calls every run unless FUZZ_SEED says otherwise; a failure prints the seed to rerun it.
import fc from "fast-check";
import { describe, expect, test } from "../helpers/fixtures.js";
import { spawnBuiltServer, TEST_API_KEY } from "../helpers/harness.js";

const FIXTURE = "webhook_fuzz";
const seed = Number(process.env.FUZZ_SEED ?? 20261201);

const it = test.extend("server", async ({ emulator }, { onCleanup }) => {
  emulator.store.createWebhook({ url: "https://example.com/h", events: ["webset.idle"], id: FIXTURE });
  const server = await spawnBuiltServer([], {
    EXA_API_KEY: TEST_API_KEY,
    EXA_BASE_URL: emulator.baseUrl,
    // Timeouts are not under test here. A short one turned a CPU-starved second on a loaded machine into
    // timeouts, four tries per read and a failed fixture check; the emulator never hangs, so the default
    // (30 s) only ever waits as long as the answer takes.
  });
  onCleanup(() => server.close());
  return server;
});

describe("the built server under random arguments", () => {
  it("answers every call and stays up", async ({ server }) => {
    const { tools } = await server.client.listTools();
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom(FIXTURE, "../x", "webset.idle", "https://example.com/y", "24h", ""),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 5 }),
      fc.anything(),
    );
    for (const tool of tools) {
      const fields = Object.keys(tool.inputSchema.properties ?? {});
      const property = fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...fields, "extra"), value, { maxKeys: 4 }),
        async (args) => {
          // The fixture is checked at the end: no generated call may delete it.
          fc.pre(!(tool.name === "delete_webhook" && args.webhookId === FIXTURE));
          const answer = await server.call(tool.name, args);
          expect(answer.text.length).toBeGreaterThan(0);
          if (!answer.isError) expect(answer.structured).toBeTypeOf("object");
        },
      );
      await assertWithSeed(tool.name, property);
    }
    const fixture = await server.call("get_webhook", { webhookId: FIXTURE });
    expect(fixture.isError, `FUZZ_SEED=${seed}: ${fixture.text}`).toBe(false);
    expect(server.stderr()).not.toContain(TEST_API_KEY);
  }, 120_000);
});

async function assertWithSeed(tool: string, property: fc.IAsyncProperty<[Record<string, unknown>]>): Promise<void> {
  try {
    await fc.assert(property, { numRuns: 60, seed });
  } catch (error) {
    throw new Error(`${tool} failed with FUZZ_SEED=${seed} (rerun with it to reproduce): ${(error as Error).message}`);
  }
}
