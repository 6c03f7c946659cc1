// `call diagnose_failures --html FILE` through the built bin, and the file opened in headless Chromium as any
// browser opens a file: no host, no server, every request other than the file itself refused and recorded. The
// view must show the same diagnosis the text does (webhooks, verdicts, worst first), offer no buttons that need a
// host, say how to refresh, and keep upstream markup as text.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standaloneHealthView } from "../../src/ui/standalone.js";
import { runBin } from "../helpers/harness.js";

const CHROMIUM = "/usr/bin/chromium";
const scratch = mkdtempSync(join(tmpdir(), "exa-health-file-"));
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
});
afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe("call diagnose_failures --html FILE", () => {
  it("writes a view that shows the diagnosis in a browser with no network", async () => {
    const file = join(scratch, "health.html");
    const run = runBin(["call", "diagnose_failures", "{}", "--sandbox", "--html", file]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Wrote the delivery health view to ${file}: open it in any browser`);
    // The text the model reads, one line per webhook, worst first: the view must draw the same list.
    const listed = [...run.stdout.matchAll(/^- (webhook_\w+) (?:\([^)]*\) )?(\w+):/gm)].map(([, id, verdict]) => ({
      id,
      verdict,
    }));
    expect(listed.length).toBeGreaterThan(3);
    expect(readFileSync(file, "utf8")).toContain('id="exa-health-result"');

    const page = await browser.newPage();
    const fileUrl = pathToFileURL(file).href;
    const requests: string[] = [];
    await page.route("**/*", (route) => {
      requests.push(route.request().url());
      return route.request().url() === fileUrl ? route.continue() : route.abort();
    });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    await page.goto(fileUrl);
    await page.waitForSelector(".card", { timeout: 10_000 });

    const cards = await page.$$eval(".card", (nodes) =>
      nodes.map((node) => ({ id: node.getAttribute("data-webhook-id"), verdict: node.getAttribute("data-verdict") })),
    );
    expect(cards).toEqual(listed);
    expect(await page.textContent("h1")).toBe("Webhook delivery health");
    // The selected (worst) webhook's failure groups are drawn from the inlined result.
    expect(await page.$$eval(".detail .group", (nodes) => nodes.length)).toBeGreaterThan(0);
    // No host: no buttons that would call tools, and the way to refresh instead.
    expect(await page.$$(".detail .actions button")).toHaveLength(0);
    expect(await page.textContent(".offline")).toContain(
      `exa-webhooks-mcp call diagnose_failures '{"webhookId":"${listed[0]?.id}"}' --html FILE`,
    );
    expect(await page.$(".error")).toBeNull();
    expect(await page.title()).toBe("Webhook delivery health");
    expect(problems).toEqual([]);
    expect(requests).toEqual([fileUrl]);
    await page.close();
  });

  it("keeps a result holding </script> and <!-- inside its data block, byte for byte", () => {
    const hostile = { webhooks: [], note: "</script><script>alert(1)</script><!-- $& $1" };
    const html = standaloneHealthView("<html><head></head><body><script>view()</script></body></html>", hostile);
    const block = /<script type="application\/json" id="exa-health-result">([^<]*)<\/script>/.exec(html);
    expect(JSON.parse(block?.[1] ?? "")).toEqual(hostile);
    expect(html).toContain("<script>view()</script>");
    expect(html).toContain("default-src 'none'");
  });

  it("is refused for a tool with no view, before anything runs", () => {
    const run = runBin(["call", "list_webhooks", "{}", "--sandbox", "--html", join(scratch, "x.html")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--html writes the health view of diagnose_failures; list_webhooks has none.");
  });
});
