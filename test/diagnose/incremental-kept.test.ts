// The in-process copy of remembered scans (incremental-kept.ts): used only under the write id it was kept with,
// handed over rather than shared, and bounded in entries and in attempts, least recently kept first out.
import { describe, expect, it } from "vitest";
import { KeptScans } from "../../src/diagnose/incremental-kept.js";

describe("KeptScans", () => {
  it("gives an entry back only under its write id, once, and never under none", () => {
    const kept = new KeptScans<string>();
    kept.put("acct\nwh_a", "w1", 10, "scan a");
    expect(kept.take("acct\nwh_a", "w2")).toBeUndefined();
    // A mismatch drops the entry: the caller reads the store and keeps what it saves.
    expect(kept.take("acct\nwh_a", "w1")).toBeUndefined();
    kept.put("acct\nwh_a", "w1", 10, "scan a");
    expect(kept.take("acct\nwh_a", undefined)).toBeUndefined();
    kept.put("acct\nwh_a", "w1", 10, "scan a");
    expect(kept.take("acct\nwh_a", "w1")).toBe("scan a");
    // Taken, not shared: a concurrent call of the same webhook reads the store.
    expect(kept.take("acct\nwh_a", "w1")).toBeUndefined();
  });

  it("keeps at most its entries and items, dropping the least recently kept, and nothing over the cap", () => {
    const kept = new KeptScans<string>(2, 100);
    kept.put("a", "w", 40, "a");
    kept.put("b", "w", 40, "b");
    kept.put("c", "w", 10, "c");
    expect(kept.size).toBe(2);
    expect(kept.take("a", "w")).toBeUndefined();
    kept.put("b", "w", 40, "b");
    kept.put("d", "w", 70, "d");
    // c and b together with d exceed 100 items: the older ones leave first.
    expect(kept.take("c", "w")).toBeUndefined();
    expect(kept.take("b", "w")).toBeUndefined();
    expect(kept.take("d", "w")).toBe("d");
    kept.put("huge", "w", 101, "huge");
    expect(kept.size).toBe(0);
  });
});
