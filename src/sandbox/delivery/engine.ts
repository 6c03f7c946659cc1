// Delivers events to webhooks through real signed HTTP and records every attempt in the store.
// Two pacings share one attempt routine: at runtime retries wait on real timers (fire and forget, tracked
// so close() can stop them); while seeding, attempts run back to back and are stamped in virtual time.
import type { ExaEvent } from "../../exa/schemas.js";
import { requestSignals } from "../../net/pool.js";
import type { EmulatorStore } from "../store.js";
import { type DeliveryOutcome, postSignedEvent } from "./post.js";
import { SANDBOX_DELIVERY_TIMEOUT_MS, SANDBOX_RETRY_DELAYS_MS } from "./schedule.js";

interface DeliveryEngineOptions {
  store: EmulatorStore;
  /** Stamps runtime attempts (ms epoch). */
  clock: () => number;
  /** Per-attempt timeout at runtime; default SANDBOX_DELIVERY_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Waits before each retry; default SANDBOX_RETRY_DELAYS_MS. Tests inject a faster schedule. */
  retryDelaysMs?: readonly number[];
  /** The only origins deliveries may go to (see guard.ts); any loopback URL when unset. */
  onlyOrigins?: ReadonlySet<string>;
}

interface VirtualDeliveryOptions {
  /** Virtual attemptedAt of the first attempt; retries follow at the schedule's offsets. */
  startAt: number;
  /** Real time allowed per attempt (short, so seeding stays fast); undefined = wait for the answer. */
  timeoutMs: number | undefined;
  /** The timeout the attempt claims in virtual time, in its error text and in the retry spacing. */
  reportedTimeoutMs: number;
}

type AttemptResult = { kind: "delivered" | "failed"; outcome: DeliveryOutcome } | { kind: "stopped" };

export class DeliveryEngine {
  private readonly store: EmulatorStore;
  private readonly clock: () => number;
  private readonly timeoutMs: number;
  private readonly retryDelaysMs: readonly number[];
  private readonly onlyOrigins: ReadonlySet<string> | undefined;
  private readonly shutdown = new AbortController();
  private readonly openRequest = requestSignals(this.shutdown.signal);
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private idleWaiters: (() => void)[] = [];

  constructor(options: DeliveryEngineOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.timeoutMs = options.timeoutMs ?? SANDBOX_DELIVERY_TIMEOUT_MS;
    this.retryDelaysMs = options.retryDelaysMs ?? SANDBOX_RETRY_DELAYS_MS;
    this.onlyOrigins = options.onlyOrigins;
  }

  /** The waits before each retry and the per-attempt timeout of runtime deliveries. */
  get retrySchedule(): { delaysMs: readonly number[]; timeoutMs: number } {
    return { delaysMs: this.retryDelaysMs, timeoutMs: this.timeoutMs };
  }

  get maxAttempts(): number {
    return this.retryDelaysMs.length + 1;
  }

  /** Runtime delivery: returns at once; attempts and retries happen in the background. */
  dispatch(event: ExaEvent, webhookId: string): void {
    this.runAttempt(event, JSON.stringify(event), webhookId, 1);
  }

  /** Seeding delivery: every attempt now, in real HTTP, stamped `startAt` + virtual elapsed time. */
  async deliverInVirtualTime(event: ExaEvent, webhookId: string, options: VirtualDeliveryOptions): Promise<void> {
    const rawBody = JSON.stringify(event);
    let at = options.startAt;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const started = Date.now();
      const result = await this.attemptOnce(event, rawBody, webhookId, attempt, at, options);
      if (result.kind !== "failed") return;
      // In virtual time a timed-out attempt lasted the whole reported timeout; others took what they took.
      at +=
        (result.outcome.timedOut ? options.reportedTimeoutMs : Date.now() - started) +
        (this.retryDelaysMs[attempt - 1] ?? 0);
    }
  }

  /** Resolves once no attempt is in flight and no retry is scheduled. */
  idle(): Promise<void> {
    if (this.inFlight.size === 0 && this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels scheduled retries and in-flight requests (those attempts are not recorded), then waits for them. */
  async close(): Promise<void> {
    this.shutdown.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
    this.notifyIfIdle();
  }

  private runAttempt(event: ExaEvent, rawBody: string, webhookId: string, attempt: number): void {
    if (this.shutdown.signal.aborted) return;
    const task = this.attemptOnce(event, rawBody, webhookId, attempt, undefined, {
      timeoutMs: this.timeoutMs,
      reportedTimeoutMs: this.timeoutMs,
    })
      .then((result) => {
        const delay = this.retryDelaysMs[attempt - 1];
        if (result.kind === "failed" && delay !== undefined)
          this.scheduleRetry(delay, event, rawBody, webhookId, attempt + 1);
      })
      .catch(() => {
        // Cancelled by close(), or the webhook vanished mid-flight: nothing left to record.
      })
      .finally(() => {
        this.inFlight.delete(task);
        this.notifyIfIdle();
      });
    this.inFlight.add(task);
  }

  private scheduleRetry(delay: number, event: ExaEvent, rawBody: string, webhookId: string, attempt: number): void {
    if (this.shutdown.signal.aborted) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.runAttempt(event, rawBody, webhookId, attempt);
      this.notifyIfIdle();
    }, delay);
    // A pending retry must not keep a CLI process alive on its own.
    timer.unref();
    this.timers.add(timer);
  }

  /**
   * One attempt. Reads the webhook at send time: a deleted or inactive webhook gets nothing more, and a
   * changed URL or secret applies to the retries that follow, as it would at a real sender.
   */
  private async attemptOnce(
    event: ExaEvent,
    rawBody: string,
    webhookId: string,
    attempt: number,
    virtualAt: number | undefined,
    timing: { timeoutMs: number | undefined; reportedTimeoutMs: number },
  ): Promise<AttemptResult> {
    const webhook = this.store.getWebhook(webhookId);
    const secret = this.store.getWebhookSecret(webhookId);
    if (!webhook || secret === undefined || webhook.status !== "active") return { kind: "stopped" };
    const attemptedAt = virtualAt ?? this.clock();
    // A child signal per POST (one listener on the shutdown signal in all): the seed has dozens in flight.
    const request = this.openRequest();
    const outcome = await postSignedEvent({
      url: webhook.url,
      rawBody,
      secret,
      timeoutMs: timing.timeoutMs,
      reportedTimeoutMs: timing.reportedTimeoutMs,
      signal: request.signal,
      onlyOrigins: this.onlyOrigins,
    }).finally(request.release);
    if (!this.store.getWebhook(webhookId)) return { kind: "stopped" };
    this.store.addAttempt({
      webhookId,
      eventId: event.id,
      eventType: event.type,
      url: webhook.url,
      successful: outcome.successful,
      responseStatusCode: outcome.statusCode,
      responseHeaders: outcome.responseHeaders,
      responseBody: outcome.responseBody,
      attempt,
      attemptedAt,
    });
    return { kind: outcome.successful ? "delivered" : "failed", outcome };
  }

  private notifyIfIdle(): void {
    if (this.inFlight.size > 0 || this.timers.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
