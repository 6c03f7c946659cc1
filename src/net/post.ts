// The one POST to a URL a user or an upstream chose (redelivery, the sandbox's delivery, and the coming
// listen and alert POSTs): the egress guard first, then a connection to exactly the address it checked,
// no redirects followed, one deadline over the whole exchange (connect, headers and body, so a receiver
// trickling its answer cannot hold a lane), and the answer read up to a cap: evidence to show, not data.
//
// node:http(s) rather than fetch: `request` takes a `lookup`, which pins the checked address for this one
// connection on every Node we support (22+). Native fetch would need an undici Agent with `connect.lookup`
// as its dispatcher, and Node's bundled undici is not importable without adding the package.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { StringDecoder } from "node:string_decoder";
import { checkEgress, type EgressPolicy, type EgressRefusal, type Resolver } from "./egress.js";
import { fetchFailureText } from "./fetch-failure.js";
import type { KeptConnections } from "./kept-connections.js";

export interface GuardedPost {
  url: string;
  /** Sent byte for byte as given (a signature covers exactly these bytes). */
  body: string;
  headers: Record<string, string>;
  /** Computed at send time over `body`, so the timestamp it carries is the moment of sending. */
  signature?: { header: string; sign(body: string, unixSeconds: number): string };
  /** The whole exchange's deadline; undefined waits for the answer however long it takes. */
  timeoutMs: number | undefined;
  /** Characters of the answer kept; the rest is never read. */
  maxResponseChars: number;
  policy: EgressPolicy;
  /** Cancels the POST in flight: the promise then rejects. */
  signal?: AbortSignal | undefined;
  /** Defaults to the system's resolver (dns.lookup); tests play a DNS server that changes its answer. */
  resolve?: Resolver;
  /** Keeps the connection open for the next POST to the same checked address; without it, one connection per POST. */
  connections?: KeptConnections | undefined;
}

export interface GuardedPostOutcome {
  /** HTTP status once its answer was read (up to the cap); 0 when there was no complete HTTP answer. */
  statusCode: number;
  /** The status line seen, even when the body then did not finish in time. */
  answeredStatus: number | undefined;
  responseHeaders: Record<string, string>;
  /** The answer's first characters (untrusted); for status 0 the transport error text, "" on timeout or refusal. */
  responseText: string;
  /** The deadline ended the exchange. */
  timedOut: boolean;
  /** The egress guard refused the URL: no connection was opened. */
  refusal: EgressRefusal | undefined;
  /** The address connected to, when one was. */
  address: string | undefined;
  durationMs: number;
}

export async function postGuarded(post: GuardedPost): Promise<GuardedPostOutcome> {
  const started = performance.now();
  post.signal?.throwIfAborted();
  const base = {
    statusCode: 0,
    answeredStatus: undefined,
    responseHeaders: {},
    responseText: "",
    timedOut: false,
    refusal: undefined,
    address: undefined,
  };
  // The deadline covers the lookup too: a resolver that never answers cannot hold a lane.
  const decision = await beforeDeadline(checkEgress(post.url, post.policy, post.resolve), post.timeoutMs, post.signal);
  if (decision === "timeout") return { ...base, timedOut: true, durationMs: elapsed(started) };
  if (!decision.ok) return { ...base, refusal: decision.refusal, durationMs: elapsed(started) };
  const { url, address } = decision.target;
  // The checked address, whatever DNS would answer now: a rebinding name cannot swap it.
  const pinned = ((_host, options, callback) => {
    if (options.all) callback(null, [{ address: address.address, family: address.family }]);
    else callback(null, address.address, address.family);
  }) as LookupFunction;
  const headers: Record<string, string> = {
    ...post.headers,
    "content-length": String(Buffer.byteLength(post.body)),
  };
  if (post.signature) headers[post.signature.header] = post.signature.sign(post.body, Math.floor(Date.now() / 1000));

  return new Promise<GuardedPostOutcome>((resolve, reject) => {
    let settled = false;
    let timedOut = false;
    let answer: IncomingMessage | undefined;
    const finish = (outcome: Partial<GuardedPostOutcome>) => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve({
        ...base,
        address: address.address,
        answeredStatus: answer?.statusCode,
        ...outcome,
        durationMs: elapsed(started),
      });
    };
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    // Either the kept agent of exactly this checked address, or agent: false, a connection of its own (Node's
    // global agent keys sockets by host name, so a pooled one could have been opened to another address).
    // A kept socket the receiver has closed meanwhile is never written to: Node peeks at it before reuse and
    // opens another. A close that crosses the POST on the wire fails it like any reset (recorded, not resent).
    const agent = post.connections?.agentFor(decision.target) ?? false;
    const request = send(url, { method: "POST", headers, lookup: pinned, agent });
    const timer =
      post.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => {
              timedOut = true;
              finish({ timedOut: true });
              request.destroy();
            },
            Math.max(0, post.timeoutMs - (performance.now() - started)),
          );
    const onCancel = () => {
      if (settled) return;
      settled = true;
      cleanup();
      request.destroy();
      reject(post.signal?.reason ?? new Error("cancelled"));
    };
    post.signal?.addEventListener("abort", onCancel, { once: true });
    function cleanup(): void {
      clearTimeout(timer);
      post.signal?.removeEventListener("abort", onCancel);
    }

    request.on("error", (error) => {
      if (!timedOut) finish({ responseText: fetchFailureText(error) });
    });
    request.on("response", (response) => {
      answer = response;
      const decoder = new StringDecoder("utf8");
      let text = "";
      const done = () => {
        const responseHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
        }
        finish({
          statusCode: response.statusCode ?? 0,
          responseHeaders,
          responseText: text.slice(0, post.maxResponseChars),
        });
      };
      response.on("data", (chunk: Buffer) => {
        text += decoder.write(chunk);
        if (text.length >= post.maxResponseChars) {
          // Enough read: the rest is never asked for (and the socket, destroyed, is never kept).
          done();
          response.destroy();
        }
      });
      response.on("end", () => {
        text += decoder.end();
        done();
      });
      response.on("error", (error) => {
        if (!timedOut) finish({ responseText: fetchFailureText(error) });
      });
      // A body cut off mid-way (the connection closed before its end) is no complete answer.
      response.on("close", () => {
        if (!response.complete && !timedOut) finish({ responseText: "the connection closed before the answer ended" });
      });
    });
    request.end(post.body);
  });
}

/** `work`'s result, "timeout" once `timeoutMs` passes first; rejects when `signal` aborts. */
function beforeDeadline<T>(work: Promise<T>, timeoutMs: number | undefined, signal: AbortSignal | undefined) {
  return new Promise<T | "timeout">((resolve, reject) => {
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => settle(() => resolve("timeout")), timeoutMs);
    const onAbort = () => settle(() => reject(signal?.reason));
    signal?.addEventListener("abort", onAbort, { once: true });
    function settle(then: () => void): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      then();
    }
    work.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
