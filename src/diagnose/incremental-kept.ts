// The remembered scan kept decoded in this process between calls, so a long-running server does not read back
// and decode 100k attempts and events from the store on every diagnosis. The store stays the source of truth:
// every save writes a fresh random write id beside what it saved, and a kept entry is used only while the store
// still names the write id it was kept under (another process's write, a lost or replaced store, or another
// webhook under the same id all name another, or none). Bounded: one entry per webhook and kind, least
// recently used first out, and at most MAX_ITEMS attempts or events in all.
import { randomUUID } from "node:crypto";

const MAX_ENTRIES = 32;
/** ~100k attempts are tens of MB decoded: this keeps a few big webhooks, or many small ones. */
const MAX_ITEMS = 300_000;

interface Kept<T> {
  writeId: string;
  items: number;
  value: T;
}

/** The key of one webhook's kept entry: the account is part of it, so one key never reads another's copy. */
export const keptKey = (place: { account: string; webhookId: string }): string =>
  `${place.account}\n${place.webhookId}`;

/** A new write id, saved with what is written (never a secret: random, and names nothing). */
export const newWriteId = (): string => randomUUID();

export class KeptScans<T> {
  private readonly entries = new Map<string, Kept<T>>();
  private items = 0;

  constructor(
    private readonly maxEntries = MAX_ENTRIES,
    private readonly maxItems = MAX_ITEMS,
  ) {}

  /**
   * Takes the entry out while the store names its write id (a call mutates it, and puts it back once saved):
   * a call that fails mid-way leaves nothing stale behind, and a concurrent call reads the store.
   */
  take(key: string, writeId: string | undefined): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.items -= entry.items;
    return writeId !== undefined && writeId !== "" && entry.writeId === writeId ? entry.value : undefined;
  }

  /** Keeps `value` as what the store holds under `writeId`; an entry too big for the bound is not kept. */
  put(key: string, writeId: string, items: number, value: T): void {
    this.take(key, undefined);
    if (items > this.maxItems || writeId === "") return;
    this.entries.set(key, { writeId, items, value });
    this.items += items;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.items <= this.maxItems) break;
      this.entries.delete(oldest);
      this.items -= entry.items;
    }
  }

  /** How many entries are kept (for tests of the bound). */
  get size(): number {
    return this.entries.size;
  }
}
