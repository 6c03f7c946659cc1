// The emulator over real HTTP on 127.0.0.1: CRUD, validation, auth, pagination, indexes at scale, faults.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../src/exa/event-types.js";
import type { WebhookAttemptWire } from "../../src/exa/schemas.js";
import { type AddAttemptInput, type Emulator, startEmulator } from "../../src/sandbox/emulator.js";
import { UNTIL_TEST_TIMEOUT } from "../helpers/wait.js";

let emulator: Emulator;
const KEY = { "x-api-key": "test-key" };

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field; typing every shape adds noise
type Json = any;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => {
  emulator.faults.clear();
});

function url(path: string): string {
  return `${emulator.baseUrl}/websets/v0${path}`;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = KEY) {
  const response = await fetch(url(path), {
    method,
    headers: { ...headers, ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const get = (path: string) => call("GET", path);

async function collectPages<T>(path: string, limit: number): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  const sep = path.includes("?") ? "&" : "?";
  do {
    const res = await get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(res.status).toBe(200);
    items.push(...res.json.data);
    pages++;
    expect(res.json.hasMore).toBe(res.json.nextCursor !== null);
    cursor = res.json.nextCursor;
  } while (cursor);
  return { items, pages };
}

describe("webhooks CRUD", () => {
  it("creates, reads, updates and deletes; the secret appears only on create", async () => {
    const created = await call("POST", "/webhooks", {
      events: ["webset.created", "webset.item.enriched"],
      url: "https://example.com/hook",
      metadata: { team: "growth" },
    });
    expect(created.status).toBe(200);
    expect(created.headers.get("x-request-id")).toMatch(/^req_[A-Za-z0-9]{20}$/);
    expect(created.headers.get("content-type")).toContain("application/json");
    expect(created.json).toMatchObject({
      object: "webhook",
      status: "active",
      events: ["webset.created", "webset.item.enriched"],
      url: "https://example.com/hook",
      metadata: { team: "growth" },
    });
    expect(created.json.id).toMatch(/^webhook_[a-z0-9]+$/);
    expect(created.json.secret).toMatch(/^whsec_[0-9a-f]{32}$/);
    const id: string = created.json.id;
    expect(emulator.store.getWebhookSecret(id)).toBe(created.json.secret);

    const fetched = await get(`/webhooks/${id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.json.secret).toBeNull();
    expect(fetched.json.createdAt).toBe(created.json.createdAt);

    const listed = await get("/webhooks");
    expect(listed.json.data.find((w: Json) => w.id === id).secret).toBeNull();

    const patched = await call("PATCH", `/webhooks/${id}`, { url: "https://example.com/v2", events: ["webset.idle"] });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ id, url: "https://example.com/v2", events: ["webset.idle"], secret: null });
    expect(patched.json.metadata).toEqual({ team: "growth" });

    const deleted = await call("DELETE", `/webhooks/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ id, url: "https://example.com/v2", secret: null });

    const gone = await get(`/webhooks/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({ statusCode: 404, message: "Webhook not found", path: `/v0/webhooks/${id}` });
    expect(Date.parse(gone.json.timestamp)).not.toBeNaN();
    expect((await call("DELETE", `/webhooks/${id}`)).status).toBe(404);
    expect((await call("PATCH", `/webhooks/${id}`, { url: "https://x.dev" })).status).toBe(404);
    expect((await get(`/webhooks/${id}/attempts`)).status).toBe(404);
  });

  it("lists webhooks newest first across pages, skipping deleted ones", async () => {
    const local = await startEmulator();
    try {
      const ids = Array.from(
        { length: 7 },
        (_, i) =>
          local.store.createWebhook({
            url: `https://e.com/${i}`,
            events: ["webset.created"],
            createdAt: Date.UTC(2025, 0, 1 + i),
          }).id,
      );
      local.store.deleteWebhook(ids[3] as string);
      const items: Json[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
        const res = await fetch(`${local.baseUrl}/websets/v0/webhooks${query}`, { headers: KEY });
        const page = (await res.json()) as Json;
        items.push(...page.data);
        cursor = page.nextCursor;
      } while (cursor);
      expect(items.map((w) => w.id)).toEqual([...ids].reverse().filter((id) => id !== ids[3]));
      expect(items.every((w) => w.secret === null)).toBe(true);
    } finally {
      await local.close();
    }
  });

  it("PATCH cannot set status; setWebhookStatus can", async () => {
    const { id } = emulator.store.createWebhook({ url: "https://e.com/s", events: ["webset.idle"] });
    const rejected = await call("PATCH", `/webhooks/${id}`, { status: "inactive" });
    expect(rejected.status).toBe(400);
    expect(rejected.json).toEqual({ error: "Bad Request", message: "property status should not exist" });
    emulator.store.setWebhookStatus(id, "inactive");
    expect((await get(`/webhooks/${id}`)).json.status).toBe("inactive");
  });

  // Exa's OpenAPI file and its server's validation disagree on these; the emulator answers as the server does
  // (the README's sandbox section gives the reasons).
  describe("inputs where Exa's schema and its validation differ", () => {
    it("refuses a URL with a space, which the schema's uri format and Exa's check both refuse", async () => {
      for (const spaced of ["https://e.com/hooks/my hook", "https://e.com/hooks\t", " https://e.com/hooks"]) {
        const created = await call("POST", "/webhooks", { url: spaced, events: ["webset.created"] });
        expect(created.status).toBe(400);
        expect(created.json.message).toBe("url must be a URL address");
      }
      const { id } = emulator.store.createWebhook({ url: "https://e.com/ok", events: ["webset.idle"] });
      expect((await call("PATCH", `/webhooks/${id}`, { url: "https://e.com/a b" })).status).toBe(400);
      expect((await get(`/webhooks/${id}`)).json.url).toBe("https://e.com/ok");
    });

    it("accepts metadata: null as no metadata on create and as clearing it on update", async () => {
      const created = await call("POST", "/webhooks", {
        url: "https://e.com/m",
        events: ["webset.created"],
        metadata: null,
      });
      expect(created.status).toBe(200);
      expect(created.json.metadata).toEqual({});
      await call("PATCH", `/webhooks/${created.json.id}`, { metadata: { team: "growth" } });
      const cleared = await call("PATCH", `/webhooks/${created.json.id}`, { metadata: null });
      expect(cleared.status).toBe(200);
      expect(cleared.json.metadata).toEqual({});
    });

    it("refuses a property the body does not take, as Exa's whitelist does, though the schema allows it", async () => {
      const created = await call("POST", "/webhooks", {
        url: "https://e.com/x",
        events: ["webset.created"],
        status: "active",
      });
      expect(created.status).toBe(400);
      expect(created.json.message).toBe("property status should not exist");
    });

    it("accepts a bare date for createdAfter (midnight UTC), though the schema says date-time", async () => {
      const local = await startEmulator();
      try {
        local.store.addEvent({ type: "webset.idle", createdAt: "2026-03-01T23:59:59.000Z" });
        local.store.addEvent({ type: "webset.idle", createdAt: "2026-03-02T00:00:00.000Z" });
        const res = await fetch(`${local.baseUrl}/websets/v0/events?createdAfter=2026-03-02`, { headers: KEY });
        expect(res.status).toBe(200);
        const { data } = (await res.json()) as Json;
        expect(data.map((event: Json) => event.createdAt)).toEqual(["2026-03-02T00:00:00.000Z"]);
      } finally {
        await local.close();
      }
    });
  });

  it("PATCH updates updatedAt from the clock", async () => {
    let now = Date.UTC(2025, 5, 1);
    const local = await startEmulator({ clock: () => now });
    try {
      const { id, createdAt } = local.store.createWebhook({ url: "https://e.com", events: ["webset.idle"] });
      now += 60_000;
      const res = await fetch(`${local.baseUrl}/websets/v0/webhooks/${id}`, {
        method: "PATCH",
        headers: { ...KEY, "content-type": "application/json" },
        body: JSON.stringify({ metadata: { a: "b" } }),
      });
      const body = (await res.json()) as Json;
      expect(body.createdAt).toBe(createdAt);
      expect(body.updatedAt).toBe(new Date(now).toISOString());
      expect(body.metadata).toEqual({ a: "b" });
    } finally {
      await local.close();
    }
  });
});

describe("validation", () => {
  const valid = { events: ["webset.created"], url: "https://example.com/h" };

  it.each([
    ["unknown event, naming it", { ...valid, events: ["webset.completed"] }, /webset\.completed/],
    ["empty events", { ...valid, events: [] }, /events/],
    ["events not an array", { ...valid, events: "webset.created" }, /events/],
    ["duplicate events", { ...valid, events: ["webset.created", "webset.created"] }, /unique/],
    ["too many events", { ...valid, events: [...EVENT_TYPES, "webset.created"] }, /events/],
    ["missing url", { events: valid.events }, /url/],
    ["bad url", { ...valid, url: "not a url" }, /url/],
    ["non-http url", { ...valid, url: "ftp://example.com" }, /url/],
    ["metadata value too long", { ...valid, metadata: { k: "x".repeat(1001) } }, /metadata\.k/],
    ["metadata value not a string", { ...valid, metadata: { k: 1 } }, /metadata\.k/],
    ["unknown property", { ...valid, status: "active" }, /status/],
    ["body not an object", [1, 2], /object/],
  ])("rejects %s with 400", async (_name, body, message) => {
    const res = await call("POST", "/webhooks", body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("Bad Request");
    expect(res.json.message).toMatch(message);
  });

  it("suggests the closest valid type", async () => {
    const res = await call("POST", "/webhooks", { ...valid, events: ["webset.item.enrich"] });
    expect(res.json.message).toContain('Did you mean "webset.item.enriched"?');
  });

  it("accepts all 19 event types and metadata values of exactly 1000 chars", async () => {
    const res = await call("POST", "/webhooks", {
      ...valid,
      events: [...EVENT_TYPES],
      metadata: { k: "x".repeat(1000) },
    });
    expect(res.status).toBe(200);
  });

  it("rejects malformed JSON with 400", async () => {
    const res = await call("POST", "/webhooks", '{"events": [');
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("Bad Request");
  });

  it("rejects bodies over 1 MB with 413", async () => {
    const res = await call("POST", "/webhooks", { ...valid, metadata: { k: "x".repeat(1_100_000) } });
    expect(res.status).toBe(413);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it.each([
    ["limit=0"],
    ["limit=201"],
    ["limit=2.5"],
    ["limit=abc"],
    ["cursor="],
    ["cursor=garbage"],
    ["cursor=eyJmIjoid2ViaG9va3MiLCJwIjpbOTk5OV19"], // {"f":"webhooks","p":[9999]}: out of range
  ])("rejects GET /webhooks?%s with 400", async (query) => {
    const res = await get(`/webhooks?${query}`);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("Bad Request");
  });

  it("rejects a cursor reused with other filters", async () => {
    const { id } = emulator.store.createWebhook({ url: "https://e.com/c", events: ["webset.idle"] });
    emulator.store.addAttempts(
      Array.from({ length: 3 }, () => ({ webhookId: id, eventType: "webset.idle", successful: true })),
    );
    const first = await get(`/webhooks/${id}/attempts?limit=1`);
    const cursor = first.json.nextCursor as string;
    expect((await get(`/webhooks/${id}/attempts?limit=1&cursor=${cursor}`)).status).toBe(200);
    expect((await get(`/webhooks/${id}/attempts?limit=1&successful=true&cursor=${cursor}`)).status).toBe(400);
  });

  it("rejects bad attempt and event filters", async () => {
    const { id } = emulator.store.createWebhook({ url: "https://e.com/f", events: ["webset.idle"] });
    expect((await get(`/webhooks/${id}/attempts?successful=yes`)).status).toBe(400);
    expect((await get(`/webhooks/${id}/attempts?eventType=webset.completed`)).json.message).toContain(
      "webset.completed",
    );
    expect((await get("/events?types=nope")).status).toBe(400);
    expect((await get("/events?createdAfter=yesterday")).status).toBe(400);
  });
});

describe("auth and routing", () => {
  it("401s without a key, in the typed error shape", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { "x-api-key": "" },
      { authorization: "Bearer " },
      { authorization: "Basic abc" },
    ];
    for (const headers of attempts) {
      const res = await call("GET", "/webhooks", undefined, headers);
      expect(res.status).toBe(401);
      expect(res.json.error).toMatchObject({ type: "UNAUTHORIZED", code: "INVALID_API_KEY" });
      expect(res.json.requestId).toBe(res.headers.get("x-request-id"));
    }
  });

  it("accepts Authorization: Bearer", async () => {
    expect((await call("GET", "/webhooks", undefined, { authorization: "Bearer k" })).status).toBe(200);
  });

  it("404s unknown routes and ids with encoded slashes or dot segments", async () => {
    const { id } = emulator.store.createWebhook({ url: "https://e.com/r", events: ["webset.idle"] });
    for (const path of [
      "/nope",
      `/webhooks/${id}%2Fattempts`,
      `/webhooks/..%2F..%2Fevents`,
      "/webhooks/%2e%2e",
      "/webhooks/%E0%A4%A",
      "/events/..",
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.json.statusCode).toBe(404);
    }
    expect((await call("PUT", `/webhooks/${id}`, {})).status).toBe(404);
    const outside = await fetch(`${emulator.baseUrl}/v0/webhooks`, { headers: KEY });
    expect(outside.status).toBe(404);
  });

  it("records every request without the key", async () => {
    const before = emulator.requests.length;
    await get("/events?types=webset.idle&types=webset.created");
    const record = emulator.requests[before];
    expect(record).toMatchObject({ method: "GET", path: "/websets/v0/events", apiKey: true, status: 200 });
    expect(record?.query.getAll("types")).toEqual(["webset.idle", "webset.created"]);
    expect(JSON.stringify(record)).not.toContain("test-key");
  });
});

describe("attempts pagination", () => {
  const TYPES = ["webset.item.created", "webset.idle", "monitor.run.completed"] as const;
  let webhookId: string;
  let seeded: WebhookAttemptWire[];

  beforeAll(() => {
    webhookId = emulator.store.createWebhook({ url: "https://e.com/a", events: [...TYPES] }).id;
    // Shuffled timestamps (some equal) exercise the one-time sort; the order must still be newest first.
    const inputs: AddAttemptInput[] = Array.from({ length: 157 }, (_, i) => ({
      webhookId,
      eventType: TYPES[i % 3] as string,
      successful: i % 4 !== 0,
      responseStatusCode: i % 4 !== 0 ? 200 : 503,
      attemptedAt: Date.UTC(2025, 0, 1) + ((i * 7919) % 157) * 1000 + (i % 5 === 0 ? 0 : 1),
    }));
    seeded = emulator.store.addAttempts(inputs);
  });

  const expected = (eventType?: string, successful?: boolean) =>
    emulator.store
      .listAttempts(webhookId)
      .filter(
        (a) =>
          (eventType === undefined || a.eventType === eventType) &&
          (successful === undefined || a.successful === successful),
      );

  const combos: [string | undefined, boolean | undefined][] = [];
  for (const type of [undefined, ...TYPES]) for (const ok of [undefined, true, false]) combos.push([type, ok]);

  it.each(combos)("eventType=%s successful=%s pages through exactly the matching attempts", async (type, ok) => {
    const params = new URLSearchParams();
    if (type) params.set("eventType", type);
    if (ok !== undefined) params.set("successful", String(ok));
    const { items } = await collectPages<WebhookAttemptWire>(`/webhooks/${webhookId}/attempts?${params}`, 10);
    const want = expected(type, ok);
    expect(want.length).toBeGreaterThan(0);
    expect(items.map((a) => a.id)).toEqual(want.map((a) => a.id));
    const times = items.map((a) => Date.parse(a.attemptedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("listAttempts is newest first and complete", () => {
    const listed = emulator.store.listAttempts(webhookId);
    expect(listed).toHaveLength(seeded.length);
    const times = listed.map((a) => Date.parse(a.attemptedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("defaults to 25 per page and serves attempts with every field", async () => {
    const res = await get(`/webhooks/${webhookId}/attempts`);
    expect(res.json.data).toHaveLength(25);
    expect(res.json.hasMore).toBe(true);
    expect(Object.keys(res.json.data[0]).sort()).toEqual(
      [
        "attempt",
        "attemptedAt",
        "eventId",
        "eventType",
        "id",
        "object",
        "responseBody",
        "responseHeaders",
        "responseStatusCode",
        "successful",
        "url",
        "webhookId",
      ].sort(),
    );
  });

  it("a cursor stays valid while newer attempts are appended", async () => {
    const { id } = emulator.store.createWebhook({ url: "https://e.com/live", events: ["webset.idle"] });
    const base = Date.UTC(2025, 1, 1);
    emulator.store.addAttempts(
      Array.from({ length: 10 }, (_, i) => ({ webhookId: id, eventType: "webset.idle", attemptedAt: base + i })),
    );
    const first = await get(`/webhooks/${id}/attempts?limit=4`);
    emulator.store.addAttempt({ webhookId: id, eventType: "webset.idle", attemptedAt: base + 100 });
    const { items } = await (async () => {
      const rest: WebhookAttemptWire[] = [];
      let cursor: string | null = first.json.nextCursor;
      while (cursor) {
        const page = await get(`/webhooks/${id}/attempts?limit=4&cursor=${cursor}`);
        rest.push(...page.json.data);
        cursor = page.json.nextCursor;
      }
      return { items: rest };
    })();
    expect([...first.json.data, ...items].map((a: WebhookAttemptWire) => Date.parse(a.attemptedAt) - base)).toEqual([
      9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
    ]);
    expect((await get(`/webhooks/${id}/attempts?limit=1`)).json.data[0].attemptedAt).toBe(
      new Date(base + 100).toISOString(),
    );
  });

  it("an empty list is one page with hasMore false", async () => {
    const { id } = emulator.store.createWebhook({ url: "https://e.com/empty", events: ["webset.idle"] });
    const res = await get(`/webhooks/${id}/attempts?successful=false`);
    expect(res.json).toEqual({ data: [], hasMore: false, nextCursor: null });
  });
});

describe("100k attempts at scale", () => {
  it("pages each (eventType, successful) partition concurrently with limit 200 and counts exactly", async () => {
    const local = await startEmulator();
    try {
      const { id } = local.store.createWebhook({ url: "https://e.com/big", events: ["webset.idle"] });
      const types = EVENT_TYPES.slice(0, 5);
      const base = Date.UTC(2025, 0, 1);
      const counts = new Map<string, number>();
      const inputs: AddAttemptInput[] = Array.from({ length: 100_000 }, (_, i) => {
        const eventType = types[i % types.length] as string;
        const successful = Math.floor(i / types.length) % 10 < 7;
        const key = `${eventType}|${successful}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return {
          webhookId: id,
          eventId: `event_${i}`,
          eventType,
          successful,
          attemptedAt: base + ((i * 7919) % 100_000) * 1000,
        };
      });
      local.store.addAttempts(inputs);

      const pageThrough = async (eventType: string, successful: boolean): Promise<number> => {
        let total = 0;
        let cursor: string | null = null;
        let previous = Number.POSITIVE_INFINITY;
        let misplaced = 0;
        do {
          const query = new URLSearchParams({ eventType, successful: String(successful), limit: "200" });
          if (cursor) query.set("cursor", cursor);
          const res = await fetch(`${local.baseUrl}/websets/v0/webhooks/${id}/attempts?${query}`, { headers: KEY });
          const page = (await res.json()) as { data: WebhookAttemptWire[]; nextCursor: string | null };
          // Counted rather than asserted per item: 100k expect() calls would dominate the run time.
          for (const attempt of page.data) {
            const at = Date.parse(attempt.attemptedAt);
            if (attempt.eventType !== eventType || attempt.successful !== successful || at > previous) misplaced++;
            previous = at;
          }
          total += page.data.length;
          cursor = page.nextCursor;
        } while (cursor);
        expect(misplaced).toBe(0);
        return total;
      };

      const partitions = types.flatMap((type) => [true, false].map((ok) => [type, ok] as const));
      const totals = await Promise.all(partitions.map(([type, ok]) => pageThrough(type, ok)));
      partitions.forEach(([type, ok], i) => {
        expect(totals[i]).toBe(counts.get(`${type}|${ok}`) ?? 0);
      });
      expect(totals.reduce((a, b) => a + b, 0)).toBe(100_000);
    } finally {
      await local.close();
    }
  });
});

describe("events", () => {
  let local: Emulator;
  const base = Date.UTC(2025, 2, 1);
  const at = (minute: number) => new Date(base + minute * 60_000).toISOString();

  beforeAll(async () => {
    local = await startEmulator();
    const types = ["webset.created", "webset.idle", "monitor.run.completed"];
    // Inserted in shuffled order; minute m has type types[m % 3].
    for (const m of [5, 0, 9, 3, 7, 1, 8, 2, 6, 4, 10, 11])
      local.store.addEvent({ type: types[m % 3] as string, createdAt: at(m) });
  });
  afterAll(async () => {
    await local.close();
  });

  async function listAll(query: string, limit = 2): Promise<Json[]> {
    const items: Json[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await fetch(`${local.baseUrl}/websets/v0/events?${q}`, { headers: KEY });
      expect(res.status).toBe(200);
      const page = (await res.json()) as Json;
      items.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }
  const minutes = (events: Json[]) => events.map((e) => (Date.parse(e.createdAt) - base) / 60_000);

  it("lists all newest first", async () => {
    expect(minutes(await listAll(""))).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it("filters by repeated types, merged newest first", async () => {
    expect(minutes(await listAll("types=webset.created&types=monitor.run.completed"))).toEqual([
      11, 9, 8, 6, 5, 3, 2, 0,
    ]);
    expect(minutes(await listAll("types=webset.idle", 3))).toEqual([10, 7, 4, 1]);
  });

  it("createdAfter and createdBefore are inclusive", async () => {
    expect(minutes(await listAll(`createdAfter=${at(3)}&createdBefore=${at(7)}`))).toEqual([7, 6, 5, 4, 3]);
    expect(minutes(await listAll(`types=webset.idle&createdAfter=${at(4)}&createdBefore=${at(10)}`, 1))).toEqual([
      10, 7, 4,
    ]);
    expect(await listAll(`createdAfter=${at(20)}`)).toEqual([]);
  });

  it("gets one event; 404 for an unknown id", async () => {
    const event = local.store.listEvents()[0];
    const res = await fetch(`${local.baseUrl}/websets/v0/events/${event?.id}`, { headers: KEY });
    expect(await res.json()).toEqual(event);
    const missing = await fetch(`${local.baseUrl}/websets/v0/events/event_nope`, { headers: KEY });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Json).message).toBe("Event not found");
  });

  it("gives events realistic ids and a data payload", () => {
    const event = local.store.addEvent({ type: "webset.item.created" });
    expect(event.id).toMatch(/^event_/);
    expect(event.data).toMatchObject({ object: "webset_item" });
  });
});

describe("faults", () => {
  it("429 with Retry-After, n times, then healthy", async () => {
    emulator.faults.add({ path: "/webhooks", status: 429, headers: { "Retry-After": "1" }, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await get("/webhooks");
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("1");
      expect(res.json.error).toMatchObject({ type: "RATE_LIMITED" });
      expect(res.json.requestId).toBe(res.headers.get("x-request-id"));
    }
    expect((await get("/webhooks")).status).toBe(200);
  });

  it("matches by method and RegExp", async () => {
    emulator.faults.add({ method: "post", path: /\/webhooks$/, status: 503 });
    expect((await get("/webhooks")).status).toBe(200);
    expect((await call("POST", "/webhooks", {})).status).toBe(503);
    expect(emulator.faults.pending).toBe(0);
  });

  it("serves a gateway HTML page", async () => {
    emulator.faults.add({ kind: "html" });
    const res = await get("/events");
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(res.text).toContain("<h1>502 Bad Gateway</h1>");
  });

  it("serves truncated JSON", async () => {
    emulator.faults.add({ kind: "malformed-json" });
    const res = await get("/webhooks");
    expect(res.status).toBe(200);
    expect(res.json).toBeUndefined();
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it("custom body and content type", async () => {
    emulator.faults.add({ status: 500, body: "oops", contentType: "text/plain" });
    const res = await get("/webhooks");
    expect([res.status, res.text, res.headers.get("content-type")]).toEqual([500, "oops", "text/plain"]);
  });

  it("hangs until the client aborts", async () => {
    emulator.faults.add({ kind: "hang" });
    const controller = new AbortController();
    const pending = fetch(url("/webhooks"), { headers: KEY, signal: controller.signal });
    // Abort once the request is hanging, not after a fixed time that a loaded machine may not reach it in.
    const hanging = () => emulator.requests.find((request) => request.fault === "hang");
    await expect.poll(() => hanging(), UNTIL_TEST_TIMEOUT).toBeDefined();
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    const hung = hanging();
    await expect.poll(() => hung?.clientClosedAt, { timeout: 10_000 }).toBeTypeOf("number");
    expect(hung?.status).toBeUndefined();
    expect((await get("/webhooks")).status).toBe(200);
  });

  it("resets the connection", async () => {
    emulator.faults.add({ kind: "reset" });
    await expect(fetch(url("/webhooks"), { headers: KEY })).rejects.toThrow();
    expect((await get("/webhooks")).status).toBe(200);
  });

  it("adds latency to every request", async () => {
    emulator.faults.latencyMs = 150;
    const started = performance.now();
    await get("/webhooks");
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("close() ends hung requests", async () => {
    const local = await startEmulator();
    local.faults.add({ kind: "hang" });
    const pending = fetch(`${local.baseUrl}/websets/v0/webhooks`, { headers: KEY });
    await expect.poll(() => local.requests.length).toBe(1);
    await local.close();
    await expect(pending).rejects.toThrow();
  });
});
