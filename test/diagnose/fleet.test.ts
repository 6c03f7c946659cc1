// Fleet orchestration over injected sources: which webhooks are read, the cap said when reached, ranking.
import { describe, expect, it } from "vitest";
import { diagnoseFleet, type FleetSources, renderDiagnosis } from "../../src/diagnose/index.js";
import type { Page, Webhook } from "../../src/exa/schemas.js";
import { failed, fakeAttemptsSource } from "./fixtures.js";

function webhook(i: number): Webhook {
  return {
    id: `whk_${String(i).padStart(4, "0")}`,
    object: "webhook",
    status: "active",
    url: `https://h${i}.example.com/exa`,
    events: ["webset.idle"],
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
  } as Webhook;
}

/** An account of `count` webhooks listed in pages of at most `limit`; no attempts except on whk_0002. */
function account(count: number) {
  const webhooks = Array.from({ length: count }, (_, i) => webhook(i));
  const listed: number[] = [];
  const attempts = fakeAttemptsSource([failed({ webhookId: "whk_0002" }), failed({ webhookId: "whk_0002" })]);
  const sources: FleetSources = {
    async getWebhook(id) {
      const found = webhooks.find((w) => w.id === id);
      if (!found) throw new Error(`No webhook ${id}`);
      return found;
    },
    async listWebhooks(query): Promise<Page<Webhook>> {
      const offset = query.cursor ? Number(query.cursor) : 0;
      listed.push(offset);
      const data = webhooks.slice(offset, offset + query.limit);
      const hasMore = offset + query.limit < webhooks.length;
      return { data, hasMore, nextCursor: hasMore ? String(offset + query.limit) : null };
    },
    // Only whk_0002 has attempts.
    attempts: (query, signal) =>
      query.webhookId === "whk_0002"
        ? attempts.source(query, signal)
        : Promise.resolve({ data: [], hasMore: false, nextCursor: null }),
    events: () => Promise.resolve({ data: [], hasMore: false, nextCursor: null }),
  };
  return { sources, listed };
}

const base = {
  maxAttempts: 1000,
  concurrency: 2,
  budgetMs: 60_000,
  senderIsLocal: false,
  signal: new AbortController().signal,
  now: new Date("2026-02-01T00:00:00.000Z"),
};

describe("diagnoseFleet", () => {
  it("diagnoses every webhook of the account, worst first", async () => {
    const { sources } = account(5);
    const report = await diagnoseFleet({ ...base, sources });
    expect(report.webhooks.map((d) => d.webhookId)[0]).toBe("whk_0002");
    expect(report.webhooks).toHaveLength(5);
    expect(report.webhookLimit).toBeUndefined();
    expect(report.generatedAt).toBe("2026-02-01T00:00:00.000Z");
  });

  it("stops at the webhook cap and says so, in the structure and on the first line", async () => {
    const { sources } = account(450);
    const report = await diagnoseFleet({ ...base, sources, maxWebhooks: 300 });
    expect(report.webhooks).toHaveLength(300);
    expect(report.webhookLimit).toBe(300);
    expect(renderDiagnosis(report).split("\n")[0]).toContain(
      "the account has more than 300 webhooks and only the first 300 were diagnosed",
    );
  });

  it("an account exactly at the cap is not cut", async () => {
    const { sources } = account(400);
    const report = await diagnoseFleet({ ...base, sources, maxWebhooks: 400 });
    expect(report.webhooks).toHaveLength(400);
    expect(report.webhookLimit).toBeUndefined();
  });

  it("one webhook by id lists nothing", async () => {
    const { sources, listed } = account(3);
    const report = await diagnoseFleet({ ...base, sources, webhookId: "whk_0002" });
    expect(report.webhooks.map((d) => [d.webhookId, d.verdict])).toEqual([["whk_0002", "failing"]]);
    expect(listed).toEqual([]);
  });
});
