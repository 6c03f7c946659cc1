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
import { answering, type Receiver, startReceiver } from "../helpers/receiver.js";
import { exaEventCheck, type TypeCheck, WITHOUT_PAYLOAD_SCHEMA } from "./exa-js-types.js";

let sandbox: LaunchedSandbox;
let exa: Exa;
let receiver: Receiver;
let eventProblems: (event: { type?: unknown; data?: unknown }) => string[];
let eventCheck: TypeCheck;

// Seeding the demo and loading exa-js's types into the TypeScript checker each take seconds on a loaded machine.
beforeAll(async () => {
  // The demo account serves the seeded history; an empty account could hide a generator only the seed uses.
  [sandbox, receiver] = await Promise.all([
    launchSandbox({ seed: "demo" }),
    startReceiver(
      "",
      answering(() => 200),
    ),
  ]);
  exa = new Exa("any-key", sandbox.emulator.baseUrl);
  ({ eventCheck, eventProblems } = exaEventCheck());
}, 60_000);
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

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
