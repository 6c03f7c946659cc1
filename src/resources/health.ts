// The watch's health as MCP resources: exa-webhooks://health (every webhook) and
// exa-webhooks://webhooks/{id}/health (one), advertised with resources.subscribe wherever an update can reach
// the client. On a transition, notifications/resources/updated goes out: on stdio from this connection's server
// (a 2026-07-28 client gets it on its subscriptions/listen stream, which the SDK's entry filters; a 2025 client
// only for URIs it sent resources/subscribe for); over HTTP the entry's listen streams carry it
// (publishWatchUpdates), and a 2025 client, with no session to send on, is offered no subscribe. With
// --channel on stdio, a transition that alerts is also sent as notifications/claude/channel (Claude Code's
// research preview), to a client that declared the capability.
import {
  type McpServer,
  type ProtocolEra,
  ResourceNotFoundError,
  ResourceTemplate,
} from "@modelcontextprotocol/server";
import type { Redactor } from "../text/redact.js";
import type { HealthFeed, HealthSnapshot } from "../watch/feed.js";
import { STATE_RANK } from "../watch/ladder.js";
import type { Transition } from "../watch/transitions.js";
import type { WebhookHealth } from "../watch/watcher.js";
import { evidenceText, nextCallText, stateWords, transitionSentence, UNPUBLISHED_RULE } from "../watch/words.js";

export const HEALTH_URI = "exa-webhooks://health";
export const WEBHOOK_HEALTH_URI_TEMPLATE = "exa-webhooks://webhooks/{webhookId}/health";
export const CHANNEL_CAPABILITY = "claude/channel";
const CHANNEL_METHOD = "notifications/claude/channel";

export const webhookHealthUri = (webhookId: string) =>
  `exa-webhooks://webhooks/${encodeURIComponent(webhookId)}/health`;

export interface WatchDependency {
  feed: HealthFeed;
  /** --channel: push alerting transitions into a Claude Code session. */
  channel: boolean;
}

/**
 * How the watch's updates can reach this server's client:
 * - "connection": the server lives as long as its connection (stdio) and sends on it;
 * - "listen": a 2026-07-28 request over stateless HTTP: the entry's subscriptions/listen streams carry them;
 * - "none": a 2025 client over stateless HTTP: each request has its own server and there is no stream to send on.
 */
export type WatchPush = "connection" | "listen" | "none";

/** The capabilities a server with a watch declares: subscribe only where an update can arrive. */
export function watchCapabilities(watch: WatchDependency | undefined, push: WatchPush) {
  if (!watch || push === "none") return {};
  return {
    resources: { subscribe: true },
    // A channel message is no listen notification: only a connection can carry it.
    ...(watch.channel && push === "connection" ? { experimental: { [CHANNEL_CAPABILITY]: {} } } : {}),
  };
}

/** The URIs a tick's transitions changed: the fleet's and each webhook's. */
export function updatedUris(transitions: readonly Transition[]): string[] {
  return [...new Set([HEALTH_URI, ...transitions.map((transition) => webhookHealthUri(transition.webhookId))])];
}

/**
 * Over HTTP: each transition's URIs published to the entry's subscriptions/listen streams, which send them to
 * the listeners that named them. Only a request of the watch's account is offered subscribe (createServer), so
 * no other account's listener has a URI honoured. Returns the unsubscribe.
 */
export function publishWatchUpdates(feed: HealthFeed, notify: { resourceUpdated(uri: string): void }): () => void {
  return feed.onTransitions((transitions) => {
    for (const uri of updatedUris(transitions)) notify.resourceUpdated(uri);
  });
}

export function registerHealthResources(
  server: McpServer,
  watch: WatchDependency,
  connection: { era: ProtocolEra | undefined; push: WatchPush },
  redactor: Redactor,
): void {
  const { era } = connection;
  const markdown = (uri: URL, text: string) =>
    redactor.redact({ contents: [{ uri: uri.href, mimeType: "text/markdown", text }] });
  server.registerResource(
    "health",
    HEALTH_URI,
    {
      title: "Webhook health (watch)",
      description: "Every webhook's state on the watch's ladder; subscribe for an update on each change.",
      mimeType: "text/markdown",
    },
    (uri) => markdown(uri, renderFleetHealth(watch.feed.snapshot())),
  );
  server.registerResource(
    "webhook-health",
    new ResourceTemplate(WEBHOOK_HEALTH_URI_TEMPLATE, { list: undefined }),
    {
      title: "One webhook's health (watch)",
      description: "One webhook's state, since when, and the evidence; subscribe for an update on each change.",
      mimeType: "text/markdown",
    },
    (uri, variables) => {
      const id = decodeURIComponent(String(variables.webhookId ?? ""));
      const health = watch.feed.snapshot().webhooks.find((webhook) => webhook.webhookId === id);
      if (!health)
        throw new ResourceNotFoundError(
          uri.href,
          `The watch has no webhook ${id.slice(0, 100)}. Read ${HEALTH_URI} for the watched ids.`,
        );
      return markdown(uri, renderWebhookHealth(health));
    },
  );

  if (connection.push !== "connection") return;
  // 2025 clients: updates only for the URIs they subscribed to. 2026-07-28: the entry filters by the listen.
  const subscribed = new Set<string>();
  if (era !== "modern") {
    server.server.setRequestHandler("resources/subscribe", (request) => {
      subscribed.add(request.params.uri);
      return {};
    });
    server.server.setRequestHandler("resources/unsubscribe", (request) => {
      subscribed.delete(request.params.uri);
      return {};
    });
  }
  const wants = (uri: string) => era === "modern" || subscribed.has(uri);
  const unsubscribe = watch.feed.onTransitions((transitions) => {
    if (!server.isConnected()) return;
    for (const uri of updatedUris(transitions))
      if (wants(uri)) server.server.sendResourceUpdated({ uri }).catch(() => {});
    if (!watch.channel || !clientTakesChannel(server)) return;
    for (const transition of transitions) {
      if (transition.decision !== "alert") continue;
      server.server.notification(redactor.redact(channelMessage(transition))).catch(() => {});
    }
  });
  const previousOnClose = server.server.onclose;
  server.server.onclose = () => {
    unsubscribe();
    previousOnClose?.();
  };
}

function clientTakesChannel(server: McpServer): boolean {
  return server.server.getClientCapabilities()?.experimental?.[CHANNEL_CAPABILITY] !== undefined;
}

/** A channel message: what changed and the next call, with meta keys a session can branch on. */
export function channelMessage(transition: Transition) {
  return {
    method: CHANNEL_METHOD,
    params: {
      content: `${transitionSentence(transition)} Next: ${nextCallText(transition)}`,
      meta: {
        webhook_id: transition.webhookId,
        from: transition.from,
        to: transition.to,
        at: transition.at,
      },
    },
  };
}

function renderFleetHealth(snapshot: HealthSnapshot): string {
  if (!snapshot.checkedAt)
    return snapshot.active
      ? "The watch has not finished its first look yet. Read this again in a moment."
      : "Another replica holds the watch lease; this one stands by. Its health is not shown here.";
  const webhooks = [...snapshot.webhooks].sort((a, b) => STATE_RANK[a.state] - STATE_RANK[b.state]);
  const lines = [
    `Watched ${webhooks.length} webhook${webhooks.length === 1 ? "" : "s"}, checked ${snapshot.checkedAt} (every ${Math.round(snapshot.intervalMs / 1000)} s).`,
    ...webhooks.map((webhook) => `- ${label(webhook)} ${webhook.state} since ${webhook.since}`),
  ];
  if (webhooks.some((webhook) => webhook.state === "at_risk")) lines.push("", UNPUBLISHED_RULE);
  return lines.join("\n");
}

function renderWebhookHealth(health: WebhookHealth): string {
  const lines = [
    `${label(health)} ${stateWords(health.state)} since ${health.since} (checked ${health.checkedAt}).`,
    `Evidence: ${evidenceText(health.evidence, Date.parse(health.checkedAt))}.`,
  ];
  if (health.state === "at_risk") lines.push(UNPUBLISHED_RULE);
  lines.push(`Next: ${nextCallText({ webhookId: health.webhookId, to: health.state })}`);
  return lines.join("\n");
}

function label(health: WebhookHealth): string {
  return health.name ? `${health.name} (${health.webhookId})` : health.webhookId;
}
