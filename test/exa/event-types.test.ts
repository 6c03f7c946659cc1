// "Did you mean" for wrong event type names: known mistakes first, then spelling distance.
import { EventType } from "exa-js";
import { describe, expect, it } from "vitest";
import { closestEventType, EVENT_TYPES } from "../../src/exa/event-types.js";

describe("closestEventType", () => {
  it("maps Exa's own wrong sample names to what they meant", () => {
    expect(closestEventType("webset.completed")).toBe("webset.idle");
    expect(closestEventType("enrichment.completed")).toBe("webset.item.enriched");
    expect(closestEventType("import.processing")).toBe("import.created");
  });

  it("falls back to spelling for typos and gives up on nonsense", () => {
    expect(closestEventType("webset.item.create")).toBe("webset.item.created");
    expect(closestEventType("monitor.run.complete")).toBe("monitor.run.completed");
    expect(closestEventType("zzzzzzzzzzzzzzzzzzzzzzzz")).toBeUndefined();
  });

  it("are exactly the event types of Exa's own SDK, without the wrong sample names", () => {
    expect([...EVENT_TYPES].sort()).toEqual(Object.values(EventType).sort());
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    expect(EVENT_TYPES).not.toContain("import.processing");
  });
});

describe("closestEventType on hostile names", () => {
  it("suggests nothing for names inherited from Object", () => {
    expect(closestEventType("constructor")).toBeUndefined();
    expect(closestEventType("__proto__")).toBeUndefined();
    expect(closestEventType("toString")).toBeUndefined();
  });

  it("suggests nothing for a name far longer than any type, even one that starts like a type", () => {
    expect(closestEventType(`webset.idle${"e".repeat(30)}`)).toBeUndefined();
  });
});
