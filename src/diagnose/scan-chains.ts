// The scan's chain scheduler: hands the pool the head pages, then the next page of the longest chain not
// already waiting on one, and ends chains at their last page, since, the caller's stop, the cap, the time
// budget or a failed page. Design: docs/architecture.md, "Diagnosis engine".
import type { Page, WebhookAttempt } from "../exa/schemas.js";
import { errorMessage, type Job, requestSignals, unlessAborted } from "../net/pool.js";
import type { PageFailure } from "./assemble.js";
import { type Partition, SUCCESS_FLAGS } from "./partitions.js";
import type { AttemptFold } from "./scan-fold.js";
import type { ChainPlan, ChainPosition, PlannedChain } from "./scan-plan.js";

/** Exa's maximum page size: fewer round trips per partition. */
export const ATTEMPTS_PAGE_LIMIT = 200;

export interface AttemptsQuery {
  webhookId: string;
  eventType?: string;
  successful?: boolean;
  cursor?: string;
  limit: number;
}

/** One page of GET /v0/webhooks/{id}/attempts, newest first (the Exa client, with its own retries). */
export type AttemptPageSource = (query: AttemptsQuery, signal: AbortSignal) => Promise<Page<WebhookAttempt>>;

/** The scan's signals: the client's cancellation, the time budget, and both for each request. */
export interface ScanSignals {
  client: AbortSignal;
  budget: AbortSignal;
  request: AbortSignal;
}

/** Reads attempt pages; records the pages it could not read and whether the time budget ended one. */
export class AttemptPageReader {
  readonly failures: PageFailure[] = [];
  outOfTime = false;
  private readonly openRequest: ReturnType<typeof requestSignals>;

  constructor(
    private readonly webhookId: string,
    private readonly source: AttemptPageSource,
    private readonly signals: ScanSignals,
  ) {
    this.openRequest = requestSignals(signals.request);
  }

  /** One request; undefined when the chain must end (time budget or a failed page, both recorded). */
  async read(position: ChainPosition, head: boolean): Promise<Page<WebhookAttempt> | undefined> {
    const { client, budget } = this.signals;
    client.throwIfAborted();
    if (budget.aborted) {
      this.outOfTime = true;
      return undefined;
    }
    const { partition, cursor } = position;
    const query: AttemptsQuery = {
      webhookId: this.webhookId,
      limit: ATTEMPTS_PAGE_LIMIT,
      successful: partition.successful,
    };
    if (partition.eventType !== undefined) query.eventType = partition.eventType;
    if (cursor !== undefined) query.cursor = cursor;
    const request = this.openRequest();
    try {
      return await unlessAborted(this.source(query, request.signal), request.signal);
    } catch (error) {
      client.throwIfAborted();
      if (budget.aborted) this.outOfTime = true;
      else this.failures.push({ partition, pagesRead: position.pagesRead, head, error: errorMessage(error) });
      return undefined;
    } finally {
      request.release();
    }
  }
}

interface Chain extends PlannedChain {
  inFlight: boolean;
  ended: boolean;
}

const chainKey = (eventType: string, successful: boolean) => `${eventType}\n${successful}`;

export interface ChainSchedulerOptions {
  heads: readonly Partition[];
  reader: AttemptPageReader;
  fold: AttemptFold;
  /** Plans the chains once every head page is in (undefined: unread). */
  plan(heads: { partition: Partition; page: Page<WebhookAttempt> | undefined }[]): ChainPlan;
  /** A page was folded in. */
  progress(partition: Partition): void;
  /** The head pages are folded and the chains planned: no chain page has been asked for yet. */
  planned(): void;
  /** Every chain has ended (called once). */
  settled(): void;
}

export class ChainScheduler {
  /** Outcomes whose head page held the whole window: every type of that outcome was read. */
  wholeOutcome = new Set<boolean>();
  headRead = new Set<boolean>();
  /** (type, flag) chains read to their end, to since or to the caller's stop. */
  private readonly readThrough = new Set<string>();
  private readonly headsToAsk: Partition[];
  private readonly headPages = new Map<boolean, Page<WebhookAttempt> | undefined>();
  /** The chains past the heads, longest first; planned once every head page is in. */
  private chains: Chain[] = [];
  private settledOnce = false;
  /** The heads are unfiltered probes (no eventType): typed chains page their attempts again. */
  private readonly probing: boolean;

  constructor(private readonly options: ChainSchedulerOptions) {
    this.headsToAsk = [...options.heads];
    this.probing = options.heads.every((head) => head.eventType === undefined);
  }

  /** Both outcomes of the type were read in full: its events may be counted. */
  readonly countsEventsOf = (eventType: string): boolean =>
    SUCCESS_FLAGS.every((flag) => this.wholeOutcome.has(flag) || this.readThrough.has(chainKey(eventType, flag)));

  /** Each outcome either read in full by its head or still to be paged by a chain, with room under the cap. */
  canStillRead(eventType: string): boolean {
    const roomLeft = this.options.fold.roomLeft();
    return SUCCESS_FLAGS.every(
      (flag) =>
        this.wholeOutcome.has(flag) ||
        (roomLeft && this.chains.some((c) => c.partition.eventType === eventType && c.partition.successful === flag)),
    );
  }

  /** The next page: a head, else of the longest chain not waiting on one, if the cap leaves room. */
  nextJob(): Job | undefined {
    const head = this.headsToAsk.shift();
    if (head) return () => this.readHead(head);
    const next = this.chains.find((c) => !c.inFlight && !c.ended);
    if (!next) return undefined;
    if (this.options.fold.budgetSpent()) {
      for (const c of this.chains) if (!c.inFlight) c.ended = true;
      this.settle();
      return undefined;
    }
    next.inFlight = true;
    return async () => {
      const page = await this.options.reader.read(next, false);
      next.inFlight = false;
      if (page) this.readChainPage(next, page);
      else next.ended = true;
      this.settle();
    };
  }

  /** One head page; the last one in plans the rest. */
  private async readHead(partition: Partition): Promise<void> {
    this.headPages.set(partition.successful, await this.options.reader.read({ partition, pagesRead: 0 }, true));
    if (this.headPages.size < this.options.heads.length) return;
    const { options } = this;
    const plan = options.plan(options.heads.map((p) => ({ partition: p, page: this.headPages.get(p.successful) })));
    this.headPages.clear();
    this.headRead = plan.headRead;
    this.wholeOutcome = plan.wholeOutcome;
    for (const { attempt, ms, whole } of plan.inWindow) {
      // Typed chains will page this attempt again; an eventType head continues past it instead.
      const folded = whole || !this.probing ? options.fold.fold(attempt, ms) : options.fold.foldFromProbe(attempt, ms);
      // The cap cut a head page: its outcome was not read through after all.
      if (!folded) this.wholeOutcome.delete(attempt.successful);
    }
    if (this.headRead.size > 0) options.progress(options.heads[0] as Partition);
    this.chains = plan.chains.map((c) => ({ ...c, inFlight: false, ended: false }));
    options.planned();
    this.settle();
  }

  private readChainPage(chain: Chain, page: Page<WebhookAttempt>): void {
    const { partition } = chain;
    chain.pagesRead++;
    const end = this.options.fold.foldPage(partition, page.data);
    this.options.progress(partition);
    if (end === "capped") {
      chain.ended = true;
    } else if (end === "since" || end === "stopped" || !page.hasMore || !page.nextCursor) {
      this.readThrough.add(chainKey(partition.eventType ?? "", partition.successful));
      chain.ended = true;
    } else if (this.options.fold.budgetSpent()) {
      // More pages exist in the window; with the cap spent that is exactly an incomplete scan.
      chain.ended = true;
    } else {
      chain.cursor = page.nextCursor;
    }
  }

  /** Once no chain is left, the judged types and the window are known. */
  private settle(): void {
    if (this.settledOnce || this.chains.some((c) => !c.ended)) return;
    this.settledOnce = true;
    this.options.settled();
  }
}
