// The health view in a real browser, hosted the way an MCP Apps client hosts it: headless Chromium, a host page
// with ext-apps' AppBridge, the view in a sandboxed iframe under the default CSP, and the BUILT server
// (dist/index.js --sandbox) over stdio behind a real MCP client that announces the Apps extension. Asserts on
// the rendered DOM and on the calls the view makes through the bridge, proves upstream markup stays text, and
// saves the screenshots the README shows (into docs/ with SAVE_SCREENSHOTS=1).
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type Browser, chromium, type Frame, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { diagnosisReportSchema } from "../../src/diagnose/types.js";
import type { createWebhookTool } from "../../src/tools/create-webhook.js";
import type { listWebhookAttemptsTool } from "../../src/tools/list-webhook-attempts.js";
import { type ClientSession, type OutputOf, spawnBuiltServer, type ToolAnswer } from "../helpers/harness.js";

const CHROMIUM = "/usr/bin/chromium";
const APPS = { extensions: { "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } } };
/** README's pictures are refreshed with SAVE_SCREENSHOTS=1; other runs keep the tree clean and write to a temp folder. */
const SCREENSHOTS = process.env.SAVE_SCREENSHOTS
  ? fileURLToPath(new URL("../../docs/", import.meta.url))
  : mkdtempSync(join(tmpdir(), "exa-health-view-"));
/** Markup that would run if the view ever parsed upstream text as HTML. */
const PAYLOAD = `<img src=x onerror="document.title='pwned'"></script><script>document.title='pwned'</script>`;

type Report = z.infer<typeof diagnosisReportSchema>;
type Webhook = Report["webhooks"][number];
interface BridgeCall {
  method: string;
  name?: string;
  arguments?: Record<string, unknown>;
  uri?: string;
}

let server: ClientSession;
let receiver: Server;
let browser: Browser;
let hostScript: string;
let html: string;
let tool: { name: string; inputSchema: { type: "object" } };

/** A receiver that fails every delivery with markup in its body. */
function startHostileReceiver(): Promise<Server> {
  const hostile = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: PAYLOAD }));
    });
  });
  return new Promise((resolve) => hostile.listen(0, "127.0.0.1", () => resolve(hostile)));
}

/** How long the page and the server get to do what a step waits for. */
function waitingFor(message: string) {
  return { timeout: 10_000, interval: 100, message };
}

beforeAll(async () => {
  const [bundle, hostile] = await Promise.all([
    build({
      entryPoints: [fileURLToPath(new URL("./host.ts", import.meta.url))],
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      logLevel: "warning",
    }),
    startHostileReceiver(),
  ]);
  hostScript = bundle.outputFiles[0]?.text ?? "";
  receiver = hostile;
  server = await spawnBuiltServer(["--sandbox"], {}, { capabilities: APPS });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const { tools } = await server.client.listTools();
  const diagnose = tools.find((candidate) => candidate.name === "diagnose_failures");
  const uri = (diagnose?._meta as { ui?: { resourceUri?: string } } | undefined)?.ui?.resourceUri;
  expect(uri).toBe("ui://exa-webhooks/health");
  const read = await server.client.readResource({ uri: uri as string });
  const [content] = read.contents as unknown as [{ mimeType: string; text: string }];
  expect(content.mimeType).toBe("text/html;profile=mcp-app");
  html = content.text;
  console.log(`health view HTML: ${Buffer.byteLength(html)} bytes; screenshots in ${SCREENSHOTS}`);
  tool = { name: "diagnose_failures", inputSchema: diagnose?.inputSchema as { type: "object" } };
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

interface Hosted {
  page: Page;
  view: Frame;
  calls: BridgeCall[];
  renderMs: { afterResult: number; afterLoad: number };
}

/** Opens the host page, hands the view this result, and waits for its cards. */
async function host(result: unknown, options: { width: number; theme: "light" | "dark" }): Promise<Hosted> {
  const page = await browser.newPage({ viewport: { width: options.width + 40, height: 2400 } });
  const calls: BridgeCall[] = [];
  await page.exposeFunction("hostRequest", async (method: string, params: Omit<BridgeCall, "method">) => {
    if (method === "tools/call") {
      calls.push({ method, name: params.name, arguments: params.arguments });
      return server.client.callTool({ name: params.name as string, arguments: params.arguments ?? {} });
    }
    calls.push({ method, uri: params.uri });
    return server.client.readResource({ uri: params.uri as string });
  });
  await page.setContent(`<!doctype html><html><body style="margin:20px;background:#888"></body></html>`);
  await page.addScriptTag({ content: hostScript });
  const { resultSentAt } = await page.evaluate((options) => window.startHost(options), {
    html,
    toolInput: {},
    toolResult: result as never,
    tool,
    theme: options.theme,
    width: options.width,
  });
  const viewFrame = () => page.frames().find((frame) => frame !== page.mainFrame());
  await expect.poll(viewFrame, waitingFor("the view's frame")).toBeDefined();
  const view = viewFrame() as Frame;
  await view.waitForSelector(".card");
  const rendered = await view.evaluate(() => {
    const mark = performance.getEntriesByName("exa-health:rendered")[0];
    return mark ? { absolute: performance.timeOrigin + mark.startTime, sinceLoad: mark.startTime } : undefined;
  });
  const hostOrigin = await page.evaluate(() => performance.timeOrigin);
  if (!rendered) throw new Error("the view did not mark its first render");
  return {
    page,
    view,
    calls,
    renderMs: { afterResult: rendered.absolute - (hostOrigin + resultSentAt), afterLoad: rendered.sinceLoad },
  };
}

describe("the health view in Chromium", () => {
  let fleet: ToolAnswer;

  beforeAll(async () => {
    fleet = await server.call("diagnose_failures", {});
    expect(fleet.isError, fleet.text).toBe(false);
  }, 60_000);

  it("draws one card per webhook, worst first, with verdict words, and each bucket as the result counts it", async () => {
    const report = fleet.structured as unknown as Report;
    const { page, view, renderMs } = await host(fleet.raw, { width: 900, theme: "light" });
    try {
      console.log(
        `health view render: ${renderMs.afterResult.toFixed(0)} ms after the result was sent, ${renderMs.afterLoad.toFixed(0)} ms after the iframe started loading`,
      );
      const cards = await view.$$eval(".card", (nodes) =>
        nodes.map((node) => ({
          id: node.getAttribute("data-webhook-id"),
          verdict: node.getAttribute("data-verdict"),
          badge: node.querySelector(".badge")?.textContent?.trim(),
          name: node.querySelector(".name")?.textContent,
        })),
      );
      expect(cards.map((card) => card.id)).toEqual(report.webhooks.map((w) => w.webhookId));
      expect(cards.map((card) => card.verdict)).toEqual(report.webhooks.map((w) => w.verdict));
      for (const card of cards)
        expect(card.badge).toMatch(/^\S+ (Failing|Inactive|Unknown|Degraded|No traffic|Healthy)$/);
      expect(cards.map((card) => card.name)).toContain("crm-sync");

      // Every webhook's chart: each bucket of the result is a bar with its counts; the gaps are zero bars.
      for (const webhook of report.webhooks.filter((w) => (w.timeline?.buckets.length ?? 0) > 0)) {
        await view.click(`.card[data-webhook-id="${webhook.webhookId}"] .card-select`);
        const drawn = await view.$$eval(".timeline .bar", (nodes) =>
          nodes.map((node) => ({
            start: node.getAttribute("data-start") as string,
            delivered: Number(node.getAttribute("data-delivered")),
            failed: Number(node.getAttribute("data-failed")),
          })),
        );
        const nonEmpty = drawn.filter((bar) => bar.delivered + bar.failed > 0);
        expect(nonEmpty, webhook.webhookId).toEqual(webhook.timeline?.buckets);
        const span = Date.parse(drawn.at(-1)?.start ?? "") - Date.parse(drawn[0]?.start ?? "");
        expect(drawn.length).toBe(span / (webhook.timeline?.bucketMs ?? 1) + 1);
      }
      // The README's picture: the failing-or-degraded webhook with the longest history.
      const shown = report.webhooks
        .filter((w) => w.verdict === "failing" || w.verdict === "degraded")
        .sort((a, b) => (b.timeline?.buckets.length ?? 0) - (a.timeline?.buckets.length ?? 0))[0];
      await view.click(`.card[data-webhook-id="${shown?.webhookId}"] .card-select`);
      await page.locator("iframe").screenshot({ path: join(SCREENSHOTS, "health-view.png") });
    } finally {
      await page.close();
    }
  });

  it("shows receiver bodies and metadata names as text: nothing in them runs", async () => {
    const created = await server.call("create_webhook", {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/exa`,
      events: ["webset.created"],
      metadata: { name: PAYLOAD },
    });
    expect(created.isError, created.text).toBe(false);
    const hostileId = (created.structured as OutputOf<typeof createWebhookTool>).webhook.id;
    const emitted = await server.call("sandbox_emit_event", {
      type: "webset.created",
      webhookId: hostileId,
    });
    expect(emitted.isError, emitted.text).toBe(false);
    await expect
      .poll(async () => {
        const attempts = await server.call("list_webhook_attempts", { webhookId: hostileId, limit: 5 });
        return (attempts.structured as OutputOf<typeof listWebhookAttemptsTool>).attempts.length;
      }, waitingFor("the hostile receiver's failed attempt"))
      .toBeGreaterThan(0);
    const diagnosis = await server.call("diagnose_failures", {});
    const report = diagnosis.structured as unknown as Report;
    const hostile = report.webhooks.find((w) => w.webhookId === hostileId) as Webhook;
    expect(hostile.name).toBe(PAYLOAD);
    const sample = hostile.groups[0]?.sampleResponse ?? "";
    expect(sample).toContain("<img src=x onerror=");
    expect(sample).toContain("</script>");
    const { page, view } = await host(diagnosis.raw, { width: 900, theme: "light" });
    try {
      await view.click(`.card[data-webhook-id="${hostileId}"] .card-select`);
      expect(await view.textContent(`.card[data-webhook-id="${hostileId}"] .name`)).toBe(PAYLOAD);
      expect(await view.textContent(".detail h2")).toContain(PAYLOAD);
      expect(await view.textContent(".detail .sample pre")).toBe(sample);
      // No element came out of the markup, no script ran, and the CSP saw nothing try.
      expect(await view.$$("img")).toHaveLength(0);
      expect(await view.$$eval("script", (nodes) => nodes.length)).toBe(1);
      expect(await view.evaluate(() => document.title)).toBe("Webhook delivery health");
    } finally {
      await page.close();
    }
  });

  it("asks the host to diagnose one webhook, to plan a redelivery (dry run) and sends only after the click", async () => {
    const report = fleet.structured as unknown as Report;
    const target = report.webhooks.find((w) => w.name === "crm-sync") as Webhook;
    expect(target.events.undelivered).toBeGreaterThan(0);
    const { page, view, calls } = await host(fleet.raw, { width: 900, theme: "light" });
    try {
      await view.click(`.card[data-webhook-id="${target.webhookId}"] .card-select`);
      await view.click(`button[data-key="diagnose:${target.webhookId}"]`);
      await expect.poll(() => calls.length, waitingFor("the diagnose call")).toBeGreaterThan(0);
      expect(calls[0]).toEqual({
        method: "tools/call",
        name: "diagnose_failures",
        arguments: { webhookId: target.webhookId },
      });
      await view.waitForSelector(`button[data-key="plan:${target.webhookId}"]:not([disabled])`);

      // From the keyboard: Tab reaches "Plan redelivery", Enter presses it.
      await view.focus(`button[data-key="diagnose:${target.webhookId}"]`);
      await page.keyboard.press("Tab");
      expect(await view.evaluate(() => document.activeElement?.getAttribute("data-key"))).toBe(
        `plan:${target.webhookId}`,
      );
      await page.keyboard.press("Enter");
      await view.waitForSelector(".redelivery #plan-summary");
      const plan = calls.filter((call) => call.name === "redeliver_events");
      expect(plan).toEqual([
        {
          method: "tools/call",
          name: "redeliver_events",
          arguments: { webhookId: target.webhookId, undelivered: true, dryRun: true },
        },
      ]);
      expect(await view.textContent("#plan-summary")).toMatch(/^Dry run, nothing sent: \d+ events? would be POSTed/);
      const planned = await view.$$eval(".redelivery .planned li", (nodes) =>
        nodes.map((node) => node.getAttribute("data-event-id")),
      );
      expect(planned.length).toBeGreaterThan(0);

      // The real redelivery: only on the user's click, with exactly the events the plan showed.
      await view.click(`button[data-key="send:${target.webhookId}"]`);
      await expect
        .poll(() => calls.some((call) => call.arguments?.dryRun === false), waitingFor("the send call"))
        .toBe(true);
      const sent = calls.find((call) => call.arguments?.dryRun === false);
      expect(sent?.arguments?.webhookId).toBe(target.webhookId);
      // crm-sync misses fewer events than the plan lists (20), so the list shown is the whole plan.
      expect(sent?.arguments?.eventIds).toEqual(planned);
      // What came back is shown: in the sandbox the secret comes from the sandbox, so every planned event is
      // POSTed, and crm-sync's receiver still crashes (nobody fixed it), so each fails.
      await view.waitForSelector(".redelivery .sent");
      expect(await view.textContent(".redelivery .sent")).toMatch(
        new RegExp(`^Sent: 0 delivered, ${planned.length} failed, 0 skipped`),
      );
    } finally {
      await page.close();
    }
  });

  it("follows the host's dark theme and fits 360 px without sideways scrolling", async () => {
    const { page, view } = await host(fleet.raw, { width: 360, theme: "dark" });
    try {
      expect(await view.evaluate(() => document.documentElement.getAttribute("data-theme"))).toBe("dark");
      const background = await view.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe("rgb(22, 24, 29)");
      expect(await view.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.evaluate(() => window.setHostTheme("light"));
      await view.waitForFunction(() => document.documentElement.getAttribute("data-theme") === "light");
      expect(await view.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(255, 255, 255)");
      await page.evaluate(() => window.setHostTheme("dark"));
      await view.waitForFunction(() => document.documentElement.getAttribute("data-theme") === "dark");
      await page.locator("iframe").screenshot({ path: join(SCREENSHOTS, "health-view-360-dark.png") });
    } finally {
      await page.close();
    }
  });

  // Last: it fixes crm-sync's receiver and redelivers, which the tests above must not see.
  it("shows the missed events redelivery recovered against those still outstanding", async () => {
    const report = fleet.structured as unknown as Report;
    const target = report.webhooks.find((w) => w.name === "crm-sync") as Webhook;
    const missed = target.events.undelivered;
    await server.call("sandbox_set_receiver", { webhookId: target.webhookId, behavior: "healthy" });
    const sent = await server.call("redeliver_events", {
      webhookId: target.webhookId,
      undelivered: true,
      dryRun: false,
    });
    expect(sent.structured).toMatchObject({ delivered: missed, failed: 0 });
    const after = await server.call("diagnose_failures", {});
    const { page, view } = await host(after.raw, { width: 900, theme: "light" });
    try {
      const card = `.card[data-webhook-id="${target.webhookId}"]`;
      expect(await view.textContent(`${card} [data-stat="outstanding"] dd`)).toBe("0");
      await view.click(`${card} .card-select`);
      await view.waitForSelector('[data-missed="summary"]');
      expect(await view.textContent('[data-missed="summary"]')).toBe(
        `${missed} events undelivered, 0 never attempted: ${missed} recovered by redelivery, 0 outstanding. Nothing left to redeliver.`,
      );
      expect(await view.$$eval('[data-missed="recovered"] li', (nodes) => nodes.length)).toBe(missed);
      expect(await view.$('[data-missed="undelivered"]')).toBeNull();
    } finally {
      await page.close();
    }
  });
});
