// MCP Apps negotiation: diagnose_failures names its view in tools/list, the view is served as one HTML file,
// and only a client that announced the extension gets the fields the view reads (timeline, name). Every other
// client gets the result it got before the view existed. Both protocol generations.
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import type { webhookDiagnosisSchema } from "../../src/diagnose/types.js";
import { startEmulator } from "../../src/sandbox/emulator.js";
import type { diagnoseFailuresTool } from "../../src/tools/diagnose-failures.js";
import { type OutputOf, startHarness } from "../helpers/harness.js";
import { seedHistory } from "../helpers/seed.js";

const APPS = { extensions: { "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } } };
const TYPES = ["webset.item.created", "webset.idle"];
const HOUR = 3_600_000;
const VIEW_ONLY = ["timeline", "name"];

type Webhook = z.infer<typeof webhookDiagnosisSchema>;

/** One account, diagnosed by a client without and one with the Apps extension. */
async function diagnoseBoth(connection: "memory" | "http-auto") {
  const emulator = await startEmulator();
  const id = emulator.store.createWebhook({
    url: "https://hooks.example.com/exa",
    events: TYPES,
    metadata: { name: "orders-sync" },
  }).id;
  seedHistory(emulator.store, {
    webhookId: id,
    types: TYPES,
    events: 120,
    failureRate: 0.3,
    failure: { status: 500, body: "boom" },
    startMs: Date.parse("2026-11-28T00:00:00.000Z"),
    stepMs: 20 * 60_000,
  });
  const run = async (apps: boolean) => {
    const harness = await startHarness({ emulator, connection, ...(apps ? { client: { capabilities: APPS } } : {}) });
    try {
      const { tools } = await harness.client.listTools();
      const answer = await harness.call("diagnose_failures", { webhookId: id });
      expect(answer.isError, answer.text).toBe(false);
      const { generatedAt: _at, ...report } = answer.structured as OutputOf<typeof diagnoseFailuresTool>;
      return { tools, text: answer.text, report };
    } finally {
      await harness.close();
    }
  };
  try {
    return { plain: await run(false), apps: await run(true) };
  } finally {
    await emulator.close();
  }
}

describe("diagnose_failures and the health view", () => {
  for (const connection of ["memory", "http-auto"] as const) {
    const era = connection === "memory" ? "2025" : "2026-07-28";
    it(`a ${era} client without the Apps extension gets today's result; one with it gets the timeline and name too`, async () => {
      const { plain, apps } = await diagnoseBoth(connection);
      const [without] = plain.report.webhooks as [Webhook];
      const [withView] = apps.report.webhooks as [Webhook];
      for (const field of VIEW_ONLY) expect(Object.keys(without)).not.toContain(field);
      expect(withView.name).toBe("orders-sync");
      expect(withView.timeline?.bucketMs).toBe(HOUR);
      const buckets = withView.timeline?.buckets ?? [];
      expect(buckets.length).toBeGreaterThan(1);
      expect(buckets.reduce((sum, bucket) => sum + bucket.delivered + bucket.failed, 0)).toBe(withView.attemptsScanned);
      // Everything else is the same, the text included.
      expect(apps.text).toBe(plain.text);
      // The two servers each date their own first verdict (the history's times); the rest is the same.
      const { name: _name, timeline: _timeline, history: viewHistory, ...rest } = withView;
      const { history: plainHistory, ...plainRest } = without;
      expect(rest).toEqual(plainRest);
      const changes = (history: typeof viewHistory) =>
        history?.transitions.map(({ from, to, cause }) => ({ from, to, cause }));
      expect(changes(viewHistory)).toEqual(changes(plainHistory));
      // tools/list names the view for every client (a client without Apps ignores _meta).
      for (const { tools } of [plain, apps]) {
        const tool = tools.find((candidate) => candidate.name === "diagnose_failures");
        expect(tool?._meta).toEqual({
          ui: { resourceUri: "ui://exa-webhooks/health" },
          "ui/resourceUri": "ui://exa-webhooks/health",
        });
      }
    });
  }

  it("serves the view as one self-contained HTML file of at most 1 MB", async () => {
    const harness = await startHarness();
    try {
      const { resources } = await harness.client.listResources();
      expect(resources.find((resource) => resource.uri === "ui://exa-webhooks/health")).toMatchObject({
        mimeType: "text/html;profile=mcp-app",
      });
      const read = await harness.readResource("ui://exa-webhooks/health");
      const [content] = read.contents as unknown as [{ mimeType: string; text: string }];
      expect(content.mimeType).toBe("text/html;profile=mcp-app");
      const bytes = Buffer.byteLength(content.text);
      console.log(`health view: ${bytes} bytes`);
      expect(bytes).toBeLessThanOrEqual(1024 * 1024);
      expect(content.text).toMatch(/^<!doctype html>/);
      // Nothing to fetch: no external script, style, image or frame, and one inline script.
      expect(content.text).not.toMatch(/<(link|iframe|img)\b|\s(src|href)=["']?[a-z]+:/i);
      expect(content.text.match(/<script\b/gi)).toHaveLength(1);
      expect(content.text.match(/<\/script/gi)).toHaveLength(1);
    } finally {
      await harness.close();
    }
  });
});
