// What the store keeps of the attempts a scan folded in, so that a later diagnosis reads only the newer ones:
// per attempt its time, event, type, URL, attempt number, status and failure category (never its body), and
// per (category, status, event type) the cleaned text of the newest attempt that had any (the groups' samples).
// Kept per attempt rather than as sums so that any `since` window and Exa's expiry cut it exactly. The stored
// form is in incremental-stored.ts.
import type { WebhookAttempt } from "../exa/schemas.js";
import { sanitizeResponseText } from "../text/untrusted.js";
import { classifyAttempt } from "./classify.js";
import { SharedStrings } from "./shared-strings.js";
import { timestampMillis } from "./timestamps.js";
import type { Category } from "./types.js";

/**
 * One attempt as remembered, in the attempts endpoint's shape so the scan is served the record itself (no
 * copy of 100k attempts per diagnosis). `responseBody` is the kept clean text, on sample candidates only;
 * `category` is set for failed attempts; `ms` is attemptedAt parsed.
 */
export interface RememberedAttempt extends WebhookAttempt {
  object: "webhook_attempt";
  responseBody: string | null;
  responseStatusCode: number | null;
  ms: number;
  category?: Category;
}

/** The failure a stored attempt was classified as, and its kept text ("" when not kept or none). */
export interface RecordedFailure {
  category: Category;
  response: string;
}

const sampleKey = (record: RememberedAttempt) =>
  `${record.category}|${record.responseStatusCode ?? 0}|${record.eventType}`;

/** The aggregator's sample order: text first, then newer, then the larger id. */
function beats(a: { ms: number; id: string; text: string }, b: { ms: number; id: string; text: string }): boolean {
  if ((a.text !== "") !== (b.text !== "")) return a.text !== "";
  return a.ms > b.ms || (a.ms === b.ms && a.id > b.id);
}

/** Newest first, ties by id (larger first): the order records are served and stored in. */
export const byNewest = (a: RememberedAttempt, b: RememberedAttempt): number =>
  b.ms - a.ms || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * Remembered attempts by id, with the sample candidates kept up to date as attempts come in: only the best
 * of each (category, status, type) keeps its text. Any window cut from below (since, expiry) keeps or drops
 * that best one together with every older one of its key, so the group samples of any window stay exact.
 */
export class RememberedAttempts {
  readonly byId = new Map<string, RememberedAttempt>();
  private readonly best = new Map<string, RememberedAttempt>();
  /** Type, webhook id and URL repeat on every attempt: one instance each (read ones only; stored ones share already). */
  private readonly shared = new SharedStrings();
  /** Some attempt read had no readable time: what was read cannot be remembered as a whole. */
  untimed = false;

  /** Adds an attempt read from Exa; classifies it, and cleans its body only when it may become a sample. */
  addRead(attempt: WebhookAttempt, ms = timestampMillis(attempt.attemptedAt)): void {
    if (this.byId.has(attempt.id)) return;
    // An attempt whose time is not one (a hostile or broken peer) cannot be filed by day: nothing is kept.
    if (!Number.isFinite(ms)) {
      this.untimed = true;
      return;
    }
    // Never the body as read: only a sample's cleaned text is kept (offer).
    const record: RememberedAttempt = {
      id: attempt.id,
      object: "webhook_attempt",
      eventId: attempt.eventId,
      eventType: this.shared.of(attempt.eventType),
      webhookId: this.shared.of(attempt.webhookId),
      url: this.shared.of(attempt.url),
      successful: attempt.successful,
      responseBody: null,
      responseStatusCode: attempt.responseStatusCode ?? null,
      attempt: attempt.attempt,
      attemptedAt: attempt.attemptedAt,
      ms,
    };
    if (!attempt.successful) {
      record.category = classifyAttempt(attempt);
      const current = this.best.get(sampleKey(record));
      // Cleaning is the costly part: an older attempt cannot beat a kept one that has text.
      const couldWin = !current || current.responseBody === null || ms >= current.ms;
      this.offer(record, couldWin ? sanitizeResponseText(attempt.responseBody) : "");
    }
    this.byId.set(record.id, record);
  }

  /** Adds an attempt as stored (its text, if any, is already clean). */
  addStored(record: RememberedAttempt): void {
    if (this.byId.has(record.id)) return;
    if (!record.successful) this.offer(record, record.responseBody ?? "");
    this.byId.set(record.id, record);
  }

  private offer(record: RememberedAttempt, text: string): void {
    const key = sampleKey(record);
    const current = this.best.get(key);
    const currentText = current?.responseBody ?? "";
    record.responseBody = null;
    if (
      current &&
      !beats({ ms: record.ms, id: record.id, text }, { ms: current.ms, id: current.id, text: currentText })
    )
      return;
    if (current) current.responseBody = null;
    record.responseBody = text === "" ? null : text;
    this.best.set(key, record);
  }

  /** Forgets attempts older than `ms` (Exa no longer has them); returns them. */
  dropOlderThan(ms: number): RememberedAttempt[] {
    const dropped: RememberedAttempt[] = [];
    for (const [id, record] of this.byId) {
      if (record.ms >= ms) continue;
      this.byId.delete(id);
      dropped.push(record);
      const key = record.successful ? undefined : sampleKey(record);
      if (key !== undefined && this.best.get(key) === record) this.best.delete(key);
    }
    return dropped;
  }

  /** Cleans the kept texts as the store keeps them (what stays in this process must read as a reload would). */
  redactSamples(redact: (text: string) => string): void {
    for (const record of this.best.values()) if (record.responseBody) record.responseBody = redact(record.responseBody);
  }

  recordedFailure(id: string): RecordedFailure | undefined {
    const record = this.byId.get(id);
    if (!record?.category) return undefined;
    return { category: record.category, response: record.responseBody ?? "" };
  }

  /** The records of one outcome, newest first (ties by id, larger first). */
  newestFirst(successful?: boolean): RememberedAttempt[] {
    const out: RememberedAttempt[] = [];
    for (const record of this.byId.values())
      if (successful === undefined || record.successful === successful) out.push(record);
    return out.sort(byNewest);
  }
}
