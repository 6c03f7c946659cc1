// One watch tick: list the webhooks, ask each for its newest attempt (the change test), re-check only those
// that moved, walk the ladder and decide which transitions alert. Holds the watch's memory between ticks;
// the store keeps it across restarts. I/O only through WatchSources and WatchHistory.
import { ExaApiError } from "../exa/errors.js";
import type { Webhook } from "../exa/schemas.js";
import { shortErrorText } from "../format/tool-error.js";
import { oneLine } from "../text/untrusted.js";
import { type HealthEvidence, type HealthState, judgeHealth, type LadderThresholds } from "./ladder.js";
import type { WatchHistory } from "./persist.js";
import type { WatchSources } from "./sources.js";
import { type AlertDecision, decide, type Transition, type WebhookMemory } from "./transitions.js";
import { causeText } from "./words.js";

/** A webhook's health as the watch last saw it: what the health resources show. */
export interface WebhookHealth {
  webhookId: string;
  name: string | undefined;
  url: string;
  state: HealthState;
  /** When it entered this state (ISO, Exa's clock). */
  since: string;
  evidence: HealthEvidence;
  checkedAt: string;
}

export type WatchProblem =
  | { kind: "list_failed"; detail: string }
  | { kind: "probe_failed" | "check_unknown"; webhookId: string; detail: string }
  | { kind: "store_failed"; detail: string };

export interface TickReport {
  at: string;
  webhooks: number;
  /** Webhooks re-read in full because the change test said they moved. */
  rechecked: number;
  transitions: Transition[];
  deleted: { webhookId: string; name: string | undefined }[];
  problems: WatchProblem[];
  /** Exa answered 429 after the client's retries: the loop waits longer before the next tick. */
  rateLimited: boolean;
}

export interface WatcherOptions {
  sources: WatchSources;
  /** Undefined without a store: the watch remembers for this process only. */
  history: WatchHistory | undefined;
  thresholds: LadderThresholds;
  cooldownMs: number;
  concurrency: number;
}

interface Seen {
  fingerprint: string;
  diagnosis: Awaited<ReturnType<WatchSources["check"]>>;
}

export class Watcher {
  private readonly memory = new Map<string, WebhookMemory>();
  private readonly seen = new Map<string, Seen>();
  private readonly health = new Map<string, WebhookHealth>();
  private rateLimited = false;

  constructor(private readonly options: WatcherOptions) {}

  /** Exa answered 429: noted for the tick's report. */
  noteRateLimited(): void {
    this.rateLimited = true;
  }

  /** Every watched webhook, in list order. */
  snapshot(): WebhookHealth[] {
    return [...this.health.values()];
  }

  /**
   * Forgets what this process holds, so the next tick reads the store again: after another replica held the
   * lease, its transitions are the truth.
   */
  forgetMemory(): void {
    this.memory.clear();
  }

  async tick(signal: AbortSignal): Promise<TickReport> {
    this.rateLimited = false;
    const report: TickReport = {
      at: new Date(this.options.sources.now()).toISOString(),
      webhooks: 0,
      rechecked: 0,
      transitions: [],
      deleted: [],
      problems: [],
      rateLimited: false,
    };
    let webhooks: Webhook[];
    try {
      webhooks = await this.options.sources.listWebhooks(signal);
    } catch (error) {
      signal.throwIfAborted();
      report.problems.push({ kind: "list_failed", detail: shortErrorText(error) });
      report.rateLimited = this.rateLimited;
      return report;
    }
    report.webhooks = webhooks.length;
    const listed = new Set(webhooks.map((webhook) => webhook.id));
    for (const id of [...this.health.keys()]) if (!listed.has(id)) await this.forgetDeleted(id, report);
    await eachLimited(webhooks, this.options.concurrency, (webhook) => this.watchOne(webhook, report, signal));
    report.rateLimited = this.rateLimited;
    return report;
  }

  private async watchOne(webhook: Webhook, report: TickReport, signal: AbortSignal): Promise<void> {
    const { sources } = this.options;
    let newest: string | null;
    try {
      newest = await sources.newestAttemptId(webhook.id, signal);
    } catch (error) {
      signal.throwIfAborted();
      if (error instanceof ExaApiError && error.status === 404) return this.forgetDeleted(webhook.id, report);
      report.problems.push({ kind: "probe_failed", webhookId: webhook.id, detail: shortErrorText(error) });
      return;
    }
    const fingerprint = [webhook.status, webhook.url, webhook.events.join(","), newest ?? ""].join("\n");
    let seen = this.seen.get(webhook.id);
    if (seen?.fingerprint !== fingerprint) {
      try {
        seen = { fingerprint, diagnosis: await sources.check(webhook, signal) };
      } catch (error) {
        signal.throwIfAborted();
        report.problems.push({ kind: "check_unknown", webhookId: webhook.id, detail: shortErrorText(error) });
        return;
      }
      report.rechecked++;
      this.seen.set(webhook.id, seen);
    }
    const nowMs = sources.now();
    const remembered = await this.remembered(webhook.id, report);
    const judged = judgeHealth(seen.diagnosis, remembered?.state, nowMs, this.options.thresholds);
    if (judged === undefined) {
      // A diagnosis that could not tell is no change of health: the state before it stands.
      this.seen.delete(webhook.id);
      report.problems.push({
        kind: "check_unknown",
        webhookId: webhook.id,
        detail: seen.diagnosis.incompleteReason ?? "the attempts could not be read",
      });
      return;
    }
    const at = new Date(nowMs).toISOString();
    const name = webhookName(webhook);
    const current = this.health.get(webhook.id);
    const since = remembered?.state === judged.state ? remembered.since : at;
    this.health.set(webhook.id, {
      webhookId: webhook.id,
      name,
      url: webhook.url,
      state: judged.state,
      since: current?.state === judged.state ? current.since : since,
      evidence: judged.evidence,
      checkedAt: at,
    });
    if (remembered?.state === judged.state) return;
    const decision: AlertDecision = decide(remembered, judged.state, nowMs, this.options.cooldownMs);
    const transition: Transition = {
      webhookId: webhook.id,
      name,
      url: webhook.url,
      from: remembered?.state ?? "none",
      to: judged.state,
      at,
      evidence: judged.evidence,
      decision,
    };
    const alertedAt = remembered?.alertedAt ?? new Map<HealthState, number>();
    if (decision === "alert") alertedAt.set(judged.state, nowMs);
    this.memory.set(webhook.id, { state: judged.state, since: at, alertedAt });
    report.transitions.push(transition);
    await this.storing(report, () => this.options.history?.record(transition, causeText(transition)));
  }

  /** The state this webhook was in: held in memory, else the store's last transition (a restart). */
  private async remembered(webhookId: string, report: TickReport): Promise<WebhookMemory | undefined> {
    const held = this.memory.get(webhookId);
    if (held || !this.options.history) return held;
    const stored = await this.storing(report, () => this.options.history?.last(webhookId));
    if (!stored) return undefined;
    // Alerted when it was recorded: a restart within the cooldown does not alert the same state again.
    const memory: WebhookMemory = {
      state: stored.state,
      since: stored.at.toISOString(),
      alertedAt: new Map([[stored.state, stored.at.getTime()]]),
    };
    this.memory.set(webhookId, memory);
    return memory;
  }

  private async forgetDeleted(webhookId: string, report: TickReport): Promise<void> {
    const last = this.health.get(webhookId);
    this.health.delete(webhookId);
    this.seen.delete(webhookId);
    this.memory.delete(webhookId);
    report.deleted.push({ webhookId, name: last?.name });
    await this.storing(report, () => this.options.history?.forget(webhookId));
  }

  /** A store call whose failure is reported once per tick and never stops the watch. */
  private async storing<T>(report: TickReport, work: () => Promise<T> | undefined): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      if (!report.problems.some((problem) => problem.kind === "store_failed"))
        report.problems.push({ kind: "store_failed", detail: shortErrorText(error) });
      return undefined;
    }
  }
}

function webhookName(webhook: Webhook): string | undefined {
  const name = webhook.metadata?.name;
  return typeof name === "string" && name.trim() ? oneLine(name, 80) : undefined;
}

/** Runs `work` over `items`, at most `limit` at once. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
