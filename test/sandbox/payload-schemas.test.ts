// Every event the emulator serves (GET /v0/events, GET /v0/events/{id}) or delivers (the signed POST body) has
// the shape of Exa's published `Event`: checked against the `Event` type exa-js ships, which is generated from
// Exa's OpenAPI file (that file may not be committed here; exa-js is already a dev dependency). The check runs
// on the JSON itself, property by property, through the TypeScript checker (see exa-js-types.ts): a type-level
// check alone would not see what the generators produce at run time, and a hand-written list of fields would
// only restate our own reading of the schema.
import { EventType, Exa } from "exa-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../src/exa/event-types.js";
import { type LaunchedSandbox, launchSandbox } from "../../src/sandbox/launch.js";
import { exaJsType, type TypeCheck } from "./exa-js-types.js";
import { startTestReceiver, type TestReceiver } from "./receiver-helper.js";

/**
 * Where exa-js's types are stricter than Exa's OpenAPI file: the file marks these `$ref` properties
 * `nullable: true` beside the `$ref`, and exa-js's generator (OpenAPI 3.0 rules: siblings of a `$ref` are
 * ignored) drops the null. Null is what Exa sends for a search never canceled, an import that did not fail,
 * a monitor that has not run yet.
 */
const NULLABLE_IN_EXA_OPENAPI = new Set(["$.data.canceledReason", "$.data.failedReason", "$.data.lastRun"]);
/** Export events have no payload schema in Exa's OpenAPI file, so exa-js's `Event` union leaves them out. */
const WITHOUT_PAYLOAD_SCHEMA = new Set(["webset.export.created", "webset.export.completed"]);

let sandbox: LaunchedSandbox;
let exa: Exa;
let receiver: TestReceiver;
let eventCheck: TypeCheck;
let envelopeCheck: TypeCheck;

beforeAll(async () => {
  // The demo account serves the seeded history; an empty account could hide a generator only the seed uses.
  [sandbox, receiver] = await Promise.all([launchSandbox({ seed: "demo" }), startTestReceiver()]);
  exa = new Exa("any-key", sandbox.emulator.baseUrl);
  eventCheck = exaJsType("exa.Event");
  envelopeCheck = exaJsType('Omit<exa.Event, "type" | "data">');
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

/** What is wrong with `event` as Exa's Event, apart from the nulls exa-js's types cannot express. */
function eventProblems(event: { type?: unknown; data?: unknown }): string[] {
  if (WITHOUT_PAYLOAD_SCHEMA.has(event.type as string)) {
    const { type: _type, data, ...envelope } = event;
    const dataIsObject = typeof data === "object" && data !== null && !Array.isArray(data);
    return [...envelopeCheck(envelope), ...(dataIsObject ? [] : ["$.data: not an object"])];
  }
  return eventCheck(event).filter((problem) => {
    const [path, rest] = problem.split(": ", 2);
    return !(NULLABLE_IN_EXA_OPENAPI.has(path as string) && rest?.startsWith("null is not"));
  });
}

describe("emulator payloads against exa-js's Event type", () => {
  it("the check itself catches a missing required field, a wrong enum value and an unknown property", () => {
    const search = {
      id: "event_1",
      object: "event",
      type: "webset.search.created",
      createdAt: "2026-12-01T00:00:00.000Z",
      data: { object: "webset_search", status: "done", bogus: 1 },
    };
    const found = eventProblems(search);
    expect(found).toContain("$.data.recall: required, missing");
    expect(found).toContain("$.data.scope: required, missing");
    expect(found.some((problem) => problem.startsWith('$.data.status: "done" is not'))).toBe(true);
    expect(found.some((problem) => problem.startsWith("$.data.bogus: not a property"))).toBe(true);
  });

  it("leaves out of exa-js's union exactly the export events, which have no payload schema", () => {
    const typed = EVENT_TYPES.filter((type) => eventCheck({ type }).every((p) => !p.startsWith("$.type:")));
    expect(EVENT_TYPES.filter((type) => !typed.includes(type))).toEqual([...WITHOUT_PAYLOAD_SCHEMA]);
  });

  it("delivers every one of the 19 event types with a payload that conforms", async () => {
    const webhook = await exa.websets.webhooks.create({
      url: receiver.url,
      events: Object.values(EventType) as EventType[],
    });
    receiver.secret = webhook.secret as string;
    for (const type of EVENT_TYPES) await sandbox.handle.emitEvent({ type, webhookId: webhook.id });
    await sandbox.engine.idle();

    const delivered = receiver.received.map((delivery) => JSON.parse(delivery.body) as { type: string });
    expect(delivered.map((event) => event.type).sort()).toEqual([...EVENT_TYPES].sort());
    expect(receiver.received.every((delivery) => delivery.signatureValid)).toBe(true);
    const wrong = delivered.flatMap((event) => eventProblems(event).map((problem) => `${event.type} ${problem}`));
    expect(wrong).toEqual([]);
  });

  it("serves every stored event, seeded or emitted, with a payload that conforms", async () => {
    const served: { id: string; type: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await exa.websets.events.list({ limit: 200, ...(cursor ? { cursor } : {}) });
      served.push(...(page.data as unknown as { id: string; type: string }[]));
      cursor = page.hasMore ? (page.nextCursor ?? undefined) : undefined;
    } while (cursor);
    expect(served.length).toBe(sandbox.emulator.store.listEvents().length);
    expect(served.length).toBeGreaterThanOrEqual(150);
    const wrong = served.flatMap((event) => eventProblems(event).map((problem) => `${event.id} ${problem}`));
    expect(wrong).toEqual([]);
    const one = (await exa.websets.events.get(served[0]?.id as string)) as unknown as { type: string };
    expect(eventProblems(one)).toEqual([]);
  });
});
