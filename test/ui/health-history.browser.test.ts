// The health view's History section (src/ui/health/history.ts) in headless Chromium: the days kept, since when
// the verdict holds, the last 30 days, the changes newest first; a cause with markup stays text.
import { build } from "esbuild";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookHistory } from "../../src/diagnose/types.js";

const CHROMIUM = "/usr/bin/chromium";
let browser: Browser;
let script: string;

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: `import { historySection } from "./src/ui/health/history.ts";
        window.renderHistory = (history, verdict, at) => {
          const node = historySection(history, verdict, at);
          if (node) document.body.append(node);
          return node !== undefined;
        };`,
      resolveDir: new URL("../../", import.meta.url).pathname,
      loader: "ts",
    },
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    logLevel: "warning",
  });
  script = bundle.outputFiles[0]?.text ?? "";
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function rendered(history: WebhookHistory | undefined) {
  const page = await browser.newPage();
  await page.setContent("<!doctype html><html><body></body></html>");
  await page.addScriptTag({ content: script });
  const shown = await page.evaluate(
    ([h]) =>
      (window as unknown as { renderHistory: (...a: unknown[]) => boolean }).renderHistory(
        h,
        "failing",
        "2026-12-07T14:00:00.000Z",
      ),
    [history] as const,
  );
  const text = await page.evaluate(() => document.body.innerText);
  const items = await page.$$eval("ol.transitions li", (lis) => lis.map((li) => li.textContent));
  const title = await page.title();
  await page.close();
  return { shown, text, items, title };
}

describe("health view: History", () => {
  it("shows the days kept, since when it fails, the month, and each change newest first", async () => {
    const view = await rendered({
      since: "2026-12-07T12:03:00.000Z",
      keptFrom: "2026-11-20T09:00:00.000Z",
      transitions: [
        { at: "2026-11-20T09:00:00.000Z", from: "none", to: "healthy", cause: "last success 2026-11-20T08:59:00.000Z" },
        {
          at: "2026-12-07T12:03:00.000Z",
          from: "healthy",
          to: "failing",
          cause: `30 failures in a row, <img src=x onerror="document.title='pwned'">`,
        },
      ],
      last30Days: { timesFailing: 1, delivered: 120, failed: 30 },
    });
    expect(view.shown).toBe(true);
    expect(view.text).toContain("History (18 days kept)");
    expect(view.text).toContain(
      "failing since 2026-12-07 12:03 UTC; last 30 days: failing 1 time, 30 failed of 150 attempts",
    );
    expect(view.items).toEqual([
      `2026-12-07 12:03 UTC healthy → failing: 30 failures in a row, <img src=x onerror="document.title='pwned'">`,
      "2026-11-20 09:00 UTC none → healthy: last success 2026-11-20T08:59:00.000Z",
    ]);
    expect(view.title).not.toBe("pwned");
  });

  it("is absent without a store's history", async () => {
    const view = await rendered(undefined);
    expect(view.shown).toBe(false);
    expect(view.text).toBe("");
  });
});
