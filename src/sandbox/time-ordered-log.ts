// A time-ordered list with secondary indexes, and newest-first paging over it.
// Pages must cost O(limit) even with 100k+ entries, so filters are answered by precomputed index
// arrays instead of scanning, and a page position is a plain array index into one of them.

export interface LogEntry<T> {
  /** Sort key, ms epoch. */
  at: number;
  /** Insertion order; breaks ties so equal timestamps keep a stable, newest-inserted-first order. */
  seq: number;
  value: T;
}

const EMPTY: readonly never[] = [];

/**
 * Entries kept oldest → newest. Appending a newer entry is a push onto every index it belongs to, so
 * existing array positions never move and cursors taken earlier stay valid while deliveries keep arriving.
 * An out-of-order entry marks the log unsorted; the next read sorts once and rebuilds the indexes.
 */
export class TimeOrderedLog<T> {
  private entries: LogEntry<T>[] = [];
  private indexes = new Map<string, LogEntry<T>[]>();
  private sorted = true;
  private nextSeq = 0;

  /** `indexKeysOf` names every index an entry belongs to (e.g. "*", "type=x", "type=x|ok=true"). */
  constructor(private readonly indexKeysOf: (value: T) => readonly string[]) {}

  append(at: number, value: T): void {
    const entry: LogEntry<T> = { at, seq: this.nextSeq++, value };
    const newest = this.entries[this.entries.length - 1];
    this.entries.push(entry);
    if (this.sorted && (newest === undefined || at >= newest.at)) this.addToIndexes(entry);
    else this.sorted = false;
  }

  /** The entries of one index, oldest first. Read-only: positions in it are what cursors point at. */
  index(key: string): readonly LogEntry<T>[] {
    this.ensureSorted();
    return this.indexes.get(key) ?? EMPTY;
  }

  /** Every value, newest first (a copy; for inspection, not for request paths). */
  newestFirst(): T[] {
    this.ensureSorted();
    const out: T[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) out.push((this.entries[i] as LogEntry<T>).value);
    return out;
  }

  private addToIndexes(entry: LogEntry<T>): void {
    for (const key of this.indexKeysOf(entry.value)) {
      let list = this.indexes.get(key);
      if (!list) {
        list = [];
        this.indexes.set(key, list);
      }
      list.push(entry);
    }
  }

  private ensureSorted(): void {
    if (this.sorted) return;
    this.entries.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.indexes = new Map();
    for (const entry of this.entries) this.addToIndexes(entry);
    this.sorted = true;
  }
}

/** Position of the newest entry with `at <= bound` (binary search), or -1 when there is none. */
export function lastAtOrBefore<T>(entries: readonly LogEntry<T>[], bound: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((entries[mid] as LogEntry<T>).at <= bound) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

interface NewestFirstPage<T> {
  items: T[];
  /** Positions to resume from, one per source; null when nothing is left. */
  next: number[] | null;
}

/**
 * Takes up to `limit` values newest first, merging several index arrays (each already sorted and disjoint,
 * e.g. one per requested event type). `positions[k]` is the next index to read in `sources[k]`, walking
 * down; entries older than `floorAt` end a source. Cost: O(limit × sources), independent of list size
 * unless `skip` hides many entries (only used for the few deleted webhooks).
 */
export function pageNewestFirst<T>(
  sources: readonly (readonly LogEntry<T>[])[],
  positions: readonly number[],
  limit: number,
  floorAt = Number.NEGATIVE_INFINITY,
  skip?: (value: T) => boolean,
): NewestFirstPage<T> {
  const cursor = [...positions];
  const head = (k: number): LogEntry<T> | undefined => {
    const source = sources[k] as readonly LogEntry<T>[];
    let i = cursor[k] as number;
    while (i >= 0 && skip?.((source[i] as LogEntry<T>).value)) i--;
    cursor[k] = i;
    const entry = i >= 0 ? source[i] : undefined;
    return entry && entry.at >= floorAt ? entry : undefined;
  };
  const newestHead = (): number => {
    let best = -1;
    let bestEntry: LogEntry<T> | undefined;
    for (let k = 0; k < sources.length; k++) {
      const entry = head(k);
      if (
        entry &&
        (!bestEntry || entry.at > bestEntry.at || (entry.at === bestEntry.at && entry.seq > bestEntry.seq))
      ) {
        best = k;
        bestEntry = entry;
      }
    }
    return best;
  };

  const items: T[] = [];
  while (items.length < limit) {
    const k = newestHead();
    if (k < 0) break;
    const i = cursor[k] as number;
    items.push(((sources[k] as readonly LogEntry<T>[])[i] as LogEntry<T>).value);
    cursor[k] = i - 1;
  }
  return { items, next: newestHead() >= 0 ? cursor : null };
}
