// Test knobs: added latency and a queue of fault rules that make the next matching requests fail in the
// ways a real network peer does (error statuses, gateway HTML, truncated JSON, hangs, resets).
import { STATUS_CODES } from "node:http";
import { toErrorJson, typedErrorFor } from "./errors.js";

export type FaultKind = "status" | "html" | "malformed-json" | "hang" | "reset";

interface FaultRule {
  /** Only requests with this method (case-insensitive); any method when absent. */
  method?: string;
  /** Substring of, or RegExp tested against, the raw pathname (e.g. "/attempts"); any path when absent. */
  path?: string | RegExp;
  /** How many matching requests the rule hits before it is used up (default 1; Infinity allowed). */
  times?: number;
  /** Let this many matching requests through untouched before the rule starts hitting (default 0). */
  skip?: number;
  /** Default 500 for "status", 502 for "html", 200 for "malformed-json". */
  status?: number;
  headers?: Record<string, string>;
  /** Replaces the default body. */
  body?: string;
  contentType?: string;
  /** Default "status": an Exa-shaped JSON error. */
  kind?: FaultKind;
}

/** What the HTTP layer must do for a matched fault. */
type FaultAction =
  | { kind: "respond"; status: number; headers: Record<string, string>; body: string }
  | { kind: "hang" }
  | { kind: "reset" };

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
  skipped: number;
}

const JSON_TYPE = "application/json; charset=utf-8";

export class FaultInjector {
  /** Delay added before every response (faults included), in ms. */
  latencyMs = 0;
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? 1, skipped: 0 });
  }

  /** Removes every rule and resets latency: back to a healthy server. */
  clear(): void {
    this.rules = [];
    this.latencyMs = 0;
  }

  /** Rules not used up yet. */
  get pending(): number {
    return this.rules.length;
  }

  /** The first rule matching this request, consuming one of its uses. */
  take(method: string, path: string): FaultRule | undefined {
    const index = this.rules.findIndex((candidate) => {
      if (!matches(candidate.rule, method, path)) return false;
      if (candidate.skipped < (candidate.rule.skip ?? 0)) {
        candidate.skipped += 1;
        return false;
      }
      return true;
    });
    const active = this.rules[index];
    if (!active) return undefined;
    active.remaining -= 1;
    if (active.remaining <= 0) this.rules.splice(index, 1);
    return active.rule;
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method) return false;
  if (rule.path === undefined) return true;
  // search() ignores lastIndex, so a /g RegExp behaves the same on every request.
  return typeof rule.path === "string" ? path.includes(rule.path) : path.search(rule.path) !== -1;
}

export function faultAction(rule: FaultRule, context: { requestId: string; path: string; now: number }): FaultAction {
  const kind = rule.kind ?? "status";
  if (kind === "hang" || kind === "reset") return { kind };
  const [status, contentType, defaultBody] = defaultsFor(kind, rule.status, context);
  return {
    kind: "respond",
    status,
    headers: { "content-type": rule.contentType ?? contentType, ...rule.headers },
    body: rule.body ?? defaultBody,
  };
}

function defaultsFor(
  kind: "status" | "html" | "malformed-json",
  requested: number | undefined,
  context: { requestId: string; path: string; now: number },
): [status: number, contentType: string, body: string] {
  switch (kind) {
    case "status": {
      const status = requested ?? 500;
      return [status, JSON_TYPE, JSON.stringify(toErrorJson(typedErrorFor(status), context))];
    }
    case "html": {
      const status = requested ?? 502;
      return [status, "text/html; charset=utf-8", gatewayPage(status)];
    }
    case "malformed-json":
      // A body cut off mid-object, as when a proxy truncates the stream.
      return [requested ?? 200, JSON_TYPE, '{"data":[{"id":"webhook_trunc","object":"webhook","status":"act'];
  }
}

function gatewayPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  return [
    "<html>",
    `<head><title>${title}</title></head>`,
    "<body>",
    `<center><h1>${title}</h1></center>`,
    "<hr><center>cloudflare</center>",
    "</body>",
    "</html>",
    "",
  ].join("\r\n");
}
