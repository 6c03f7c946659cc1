// redeliver_events' engine: which events (listed, or found missed by a fresh diagnosis), where to (the
// target rule and the egress guard), signed with which secret, then the run, its summary and its text.
// The tool file only hands over its input and the call's context.
import { parseSince } from "../diagnose/since.js";
import { ToolInputError } from "../errors.js";
import type { ExaClient } from "../exa/client.js";
import { rethrowShort } from "../format/tool-error.js";
import { checkEgress, type EgressPolicy, egressPolicyFor } from "../net/egress.js";
import { type AccountMemory, notRememberedBecause } from "../store/index.js";
import { type KnownDelivery, knownDeliveries, type LedgerScope, runClaims, storeErrorText } from "./ledger.js";
import { findMissedEvents, missedEventsGap } from "./missed.js";
import { renderRedelivery } from "./render.js";
import { runRedelivery } from "./run.js";
import { DEFAULT_MAX_EVENTS, type RedeliveryOutput } from "./schema.js";
import { chooseSigningSecret, WEBHOOK_SECRETS_VARIABLE } from "./secrets.js";
import { groupFailures, summarizeRedelivery } from "./summary.js";
import { resolveRedeliveryTarget, TargetRefusedError } from "./target.js";

export interface RedeliveryRequest {
  webhookId: string;
  eventIds?: string[] | undefined;
  undelivered?: boolean | undefined;
  since?: string | undefined;
  targetUrl?: string | undefined;
  secret?: string | undefined;
  dryRun?: boolean | undefined;
  maxEvents?: number | undefined;
  /** Send even what the ledger says was delivered or has an unknown outcome (a new row each). */
  force?: boolean | undefined;
}

/** The settings a redelivery reads (the server's config has them); declared here so data flows down to this floor. */
interface RedeliverySettings {
  diagnoseBudgetMs: number;
  maxConcurrency: number;
  sandbox: boolean;
  remoteCallers?: boolean | undefined;
  webhookSecrets: ReadonlyMap<string, string>;
  allowPrivateTargets?: boolean | undefined;
}

/** What a redelivery asks of the sandbox it may run in: its webhooks' secrets and its own delivery guard. */
interface SandboxDelivery {
  webhookSecret(webhookId: string): Promise<string | undefined>;
  deliveryRefusal(url: string): string | undefined;
}

/** What a redelivery needs of the call it runs in (a tool call's context has all of it). */
export interface RedeliveryContext {
  exa(): Pick<ExaClient, "getWebhook" | "listAttempts" | "listEvents" | "getEventWithBody">;
  config: RedeliverySettings;
  signal: AbortSignal;
  progress(progress: number, total?: number, message?: string): Promise<void>;
  log(level: "info", message: string): void;
  sandbox: SandboxDelivery | undefined;
  hideSecret(secret: string): void;
  /** The store with this caller's account (src/store/): the ledger every POST is claimed in. */
  memory(): Promise<AccountMemory>;
}

export async function redeliverEvents(
  input: RedeliveryRequest,
  context: RedeliveryContext,
): Promise<{ text: string; structured: RedeliveryOutput }> {
  const listed = input.eventIds !== undefined;
  if (listed === (input.undelivered === true)) {
    throw new ToolInputError(
      listed
        ? "give either eventIds or undelivered:true, not both."
        : 'say which events: eventIds ["event_..."] (from list_events or diagnose_failures), or undelivered:true for the undelivered events of a fresh diagnosis.',
    );
  }
  if (input.since !== undefined && listed)
    throw new ToolInputError("since applies to undelivered:true only; drop it with eventIds.");
  const since = input.since === undefined ? undefined : parseSince(input.since, new Date());
  const dryRun = input.dryRun ?? true;
  const started = Date.now();
  const deadline = started + context.config.diagnoseBudgetMs;
  const exa = context.exa();
  const webhook = await exa.getWebhook(input.webhookId, context.signal);

  const { url: targetUrl, policy } = await targetOf(webhook, input.targetUrl, dryRun, context);
  const { secret, from: secretFrom } = await chooseSigningSecret(
    webhook.id,
    input.secret,
    context.config.webhookSecrets,
    context.sandbox,
  );
  if (secret) context.hideSecret(secret);
  if (!dryRun && !secret) {
    throw new ToolInputError(
      `no signing secret for webhook ${webhook.id}, so nothing was sent: a receiver checking Exa-Signature would reject unsigned events. Pass "secret", or set ${WEBHOOK_SECRETS_VARIABLE}=${webhook.id}=<secret> in the server's environment and restart.`,
    );
  }

  const force = input.force === true;
  const memory = await context.memory();
  const scope: LedgerScope | undefined = memory.ok
    ? { ledger: memory.store.ledger, account: memory.account, webhookId: webhook.id, target: targetUrl }
    : undefined;
  /** A store that opened, then failed to answer a read: the claims (the authority) are still tried. */
  let storeReadFailure: string | undefined;
  const fromLedger = async <T>(read: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      storeReadFailure ??= storeErrorText(error);
      return fallback;
    }
  };
  const known: KnownDelivery[] = [];

  // Progress counts on across both phases: the sending phase starts where the search for events ended.
  let scanned = 0;

  let eventIds: string[];
  let duplicates = 0;
  let overCap = 0;
  let discovery:
    | {
        attemptsScanned: number;
        undelivered: number;
        neverAttempted: number;
        truncated: number;
        recovered: number;
        gap?: string;
      }
    | undefined;
  if (input.eventIds) {
    ({ eventIds, duplicates, overCap } = listedEvents(input.eventIds, input.maxEvents));
  } else {
    context.log("info", `looking for missed events of ${webhook.id}`);
    // Recovered by an earlier redelivery (accepted at any target): what diagnose_failures no longer counts as outstanding.
    const recovered =
      scope && !force ? await fromLedger(() => scope.ledger.recovered(scope.account, webhook.id), []) : [];
    // Half the budget at most for finding the events: the rest is for reading and sending them.
    const missed = await findMissedEvents({
      webhook,
      source: (query, signal) => exa.listAttempts(query.webhookId, query, signal).catch(rethrowShort),
      events: (query, signal) => exa.listEvents(query, signal).catch(rethrowShort),
      since,
      maxEvents: input.maxEvents ?? DEFAULT_MAX_EVENTS,
      recovered: new Set(recovered.map((event) => event.eventId)),
      concurrency: context.config.maxConcurrency,
      deadline: started + context.config.diagnoseBudgetMs / 2,
      signal: context.signal,
      onProgress: (count, message) => {
        scanned = Math.max(scanned, count);
        void context.progress(count, undefined, message);
      },
    });
    eventIds = missed.eventIds;
    const recoveredById = new Map(recovered.map((event) => [event.eventId, event]));
    for (const id of missed.recoveredIds) {
      const event = recoveredById.get(id);
      if (event) known.push({ eventId: id, kind: "delivered", at: event.acceptedAt, target: event.target });
    }
    const gap = missedEventsGap(missed);
    discovery = {
      attemptsScanned: missed.attemptsScanned,
      undelivered: missed.undelivered,
      neverAttempted: missed.neverAttempted,
      truncated: missed.truncated,
      recovered: missed.recoveredIds.length,
      ...(gap ? { gap } : {}),
    };
  }

  // Delivered at this target, or claimed by a run whose outcome is unknown: not planned (force sends them).
  if (scope && !force) {
    const settled = await fromLedger(() => knownDeliveries(scope, eventIds), []);
    const left = new Set(settled.map((k) => k.eventId));
    eventIds = eventIds.filter((id) => !left.has(id));
    known.push(...settled);
  }

  context.log(
    "info",
    `${dryRun ? "planning" : "redelivering"} ${eventIds.length} events of ${webhook.id} to ${targetUrl}`,
  );
  const claims = scope && !dryRun ? runClaims(scope, { force }) : undefined;
  const run = await runRedelivery({
    webhook,
    eventIds,
    ...(claims ? { claims } : {}),
    targetUrl: targetUrl,
    policy,
    secret,
    dryRun,
    concurrency: context.config.maxConcurrency,
    deadline,
    signal: context.signal,
    fetchEvent: (id, signal) => exa.getEventWithBody(id, signal),
    onProgress: (done, total) =>
      void context.progress(
        scanned + done,
        scanned + total,
        `${dryRun ? "Looked up" : "Redelivered"} ${done} of ${total} events`,
      ),
  });

  const claimFailure = claims?.storeFailure();
  const claimsUnrecorded = claims?.unrecorded() ?? [];
  const structured = summarizeRedelivery({
    webhookId: webhook.id,
    targetUrl: targetUrl,
    dryRun,
    run,
    discoveryGap: discovery?.gap,
    known,
    remembered: memory.ok,
  });
  const nextArgs: Record<string, unknown> = {
    webhookId: webhook.id,
    ...(input.eventIds ? { eventIds } : { undelivered: true }),
    ...(input.since ? { since: input.since } : {}),
    ...(input.targetUrl ? { targetUrl: input.targetUrl } : {}),
    ...(input.maxEvents ? { maxEvents: input.maxEvents } : {}),
    ...(force ? { force } : {}),
  };
  const text = renderRedelivery(structured, {
    source: discovery ? { kind: "undelivered", ...discovery } : { kind: "listed", duplicates },
    memory: memory.ok
      ? { remembered: true, ...(storeReadFailure || claimFailure ? { failure: storeReadFailure ?? claimFailure } : {}) }
      : { remembered: false, because: notRememberedBecause(memory.unavailable) },
    unrecorded: claimsUnrecorded,
    timedOut: new Set([...known, ...run.held].flatMap((k) => (k.kind === "unknown" && k.timedOut ? [k.eventId] : []))),
    overCap,
    readErrors: run.readErrors,
    nextArgs,
    secretFrom,
    failures: groupFailures(run.results, targetUrl, secretFrom),
  });
  return { text, structured };
}

/** Where this redelivery goes, and the egress policy every POST of it is checked against. */
async function targetOf(
  webhook: { id: string; url: string },
  targetUrl: string | undefined,
  dryRun: boolean,
  context: RedeliveryContext,
): Promise<{ url: string; policy: EgressPolicy }> {
  const { sandbox, remoteCallers, allowPrivateTargets } = context.config;
  const policy = egressPolicyFor({ sandbox, remoteCallers, allowPrivateTargets });
  let url: string;
  try {
    ({ url } = resolveRedeliveryTarget({
      webhookId: webhook.id,
      webhookUrl: webhook.url,
      targetUrl,
      sandbox,
      remoteCallers,
      allowPrivateTargets,
    }));
  } catch (error) {
    if (error instanceof TargetRefusedError) throw new ToolInputError(`${error.message} Nothing was sent.`);
    throw error;
  }
  // On top, the sandbox's own guard: served to other machines, it sends only to its demo receivers.
  const sandboxRefusal = context.sandbox?.deliveryRefusal(url);
  if (sandboxRefusal) throw new ToolInputError(`${sandboxRefusal} Nothing was sent.`);
  // What the name resolves to now, before any event is read: each POST checks again (and connects to what
  // it checked), so this only spares the reads when the target is refused anyway.
  if (!dryRun) {
    const decision = await checkEgress(url, policy);
    if (!decision.ok && decision.refusal.reason !== "unresolved")
      throw new ToolInputError(`${decision.refusal.message} Nothing was sent.`);
  }

  return { url, policy };
}

/** The listed ids, each once, cut at maxEvents. */
function listedEvents(ids: readonly string[], maxEvents: number | undefined) {
  const unique = [...new Set(ids)];
  const cap = maxEvents ?? unique.length;
  return {
    eventIds: unique.slice(0, cap),
    duplicates: ids.length - unique.length,
    overCap: Math.max(0, unique.length - cap),
  };
}
