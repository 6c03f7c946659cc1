// Property test: thousands of random argument objects at every tool. Every answer must be a well-formed
// result (errors as isError text that names the problem), and the server must stay up.
import fc from "fast-check";
import { describe, expect, test } from "../helpers/fixtures.js";

const it = test
  // Timeouts are not under test here: a short one turned a stalled moment on a loaded machine into four
  // timed-out tries and a failed "still alive" check. The emulator never hangs.
  .override("harnessOptions", { env: { EXA_TIMEOUT_MS: "30000" } })
  /** Every listed tool's input fields, on a harness whose emulator holds webhook_fuzz. */
  .extend("toolFields", async ({ harness }) => {
    harness.emulator.store.createWebhook({ url: "https://example.com/h", events: ["webset.idle"], id: "webhook_fuzz" });
    const { tools } = await harness.client.listTools();
    const toolNames = tools.map((tool) => tool.name);
    const fieldsByTool = new Map(tools.map((tool) => [tool.name, Object.keys(tool.inputSchema.properties ?? {})]));
    return { toolNames, fieldsByTool };
  });

const plausibleValue = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "webhook_fuzz",
    "../events",
    "webset.item.created",
    "webset.completed",
    "https://example.com/x",
    "",
    "24h",
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string(), fc.constantFrom("webset.idle", "webset.idle", "monitor.created")), { maxLength: 25 }),
  fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
  fc.anything(),
);

function argumentsFor(fields: string[]) {
  return fc.oneof(
    fc.dictionary(fc.oneof(fc.constantFrom(...(fields.length ? fields : ["x"])), fc.string()), plausibleValue, {
      maxKeys: 6,
    }),
    fc.object(),
  );
}

describe("random arguments at every tool", () => {
  it("answers 1000+ random calls per tool with well-formed results and stays up", async ({
    harness,
    toolFields: { toolNames, fieldsByTool },
  }) => {
    for (const name of toolNames) {
      await fc.assert(
        fc.asyncProperty(argumentsFor(fieldsByTool.get(name) ?? []), async (args) => {
          const answer = await harness.call(name, args as Record<string, unknown>);
          expect(answer.raw.content.length).toBeGreaterThan(0);
          expect(answer.text.length).toBeGreaterThan(0);
          expect(answer.text).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/); // no stack traces
          if (answer.isError) {
            expect(answer.text.length).toBeLessThan(4000);
          } else {
            expect(answer.structured).toBeTypeOf("object");
          }
        }),
        { numRuns: 1000 },
      );
    }
    const alive = await harness.call("list_webhooks", { limit: 1 });
    expect(alive.isError).toBe(false);
  }, 300_000);
});
