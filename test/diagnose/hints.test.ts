// The next-check line: specific to the webhook's host/URL and to the evidence in the sample.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { hintFor } from "../../src/diagnose/index.js";
import type { Emulator } from "../../src/sandbox/emulator.js";
import { describe, expect, it } from "../helpers/fixtures.js";
import { spawnBuiltServer, TEST_API_KEY } from "../helpers/harness.js";
import { seeded } from "./fixtures.js";

const base = {
  webhookUrl: "https://hooks.example.com/exa/webhook",
  sampleResponse: "",
  lastSeen: "2026-01-01T00:00:00Z",
};

describe("hintFor", () => {
  it.each([
    [
      { category: "unreachable", statusCode: 0, sampleResponse: "getaddrinfo ENOTFOUND hooks.example.com" },
      "`dig +short 'hooks.example.com'`",
    ],
    [
      { category: "unreachable", statusCode: 0, sampleResponse: "connect ECONNREFUSED 1.2.3.4:443" },
      "`curl -sv -X POST 'https://hooks.example.com/exa/webhook'`",
    ],
    [
      { category: "unreachable", statusCode: 0, webhookUrl: "http://localhost:3000/hooks" },
      "localhost is a local/private address",
    ],
    [{ category: "unreachable", statusCode: 0, webhookUrl: "http://192.168.1.20/hooks" }, "private address"],
    [
      { category: "tls", statusCode: 0 },
      "`openssl s_client -connect 'hooks.example.com:443' -servername 'hooks.example.com'`",
    ],
    [
      {
        category: "tls",
        statusCode: 0,
        webhookUrl: "https://h.example.com:8080/x",
        sampleResponse: "wrong version number",
      },
      "Port 8080 speaks plain HTTP",
    ],
    [
      { category: "redirect", statusCode: 301, webhookUrl: "http://hooks.example.com/x" },
      "`curl -sI -X POST 'http://hooks.example.com/x'` to see Location",
    ],
    [{ category: "auth_rejected", statusCode: 401 }, "verify_webhook_signature against the RAW body"],
    [
      { category: "auth_rejected", statusCode: 403, sampleResponse: "Attention Required! | Cloudflare" },
      "Cloudflare WAF",
    ],
    [{ category: "not_found", statusCode: 410 }, "delete the webhook or update its URL"],
    [
      { category: "bad_request", statusCode: 400 },
      "Return 2xx for event types you ignore, or narrow the webhook's events",
    ],
    [{ category: "bad_request", statusCode: 413 }, "body-size limit"],
    [{ category: "rate_limited", statusCode: 429 }, "rate limiting"],
    [{ category: "server_error", statusCode: 502 }, "could not reach the app"],
    [{ category: "timeout", statusCode: 0 }, "idempotent on the event id"],
  ] as const)("%j → %s", (input, expected) => {
    const hint = hintFor({ ...base, ...input });
    expect(hint).toContain(expected);
    expect(hint).not.toContain("\n");
  });

  it("keeps a hostile URL from breaking the shell quoting or the code span", () => {
    const hint = hintFor({
      ...base,
      category: "not_found",
      statusCode: 404,
      webhookUrl: "https://x.example/a'`;rm -rf ~`\n",
    });
    const command = /`([^`]*)`/.exec(hint)?.[1] ?? "";
    expect(shellWords(command)).toEqual(["curl", "-sv", "-X", "POST", "https://x.example/a'%60;rm%20-rf%20~%60"]);
    expect(hint.match(/`/g)).toHaveLength(2);
  });

  it.each([
    ["unreachable", 0, "getaddrinfo ENOTFOUND"],
    ["unreachable", 0, "connect ECONNREFUSED"],
    ["tls", 0, ""],
    ["tls", 0, "wrong version number"],
    ["timeout", 0, ""],
    ["redirect", 301, ""],
    ["not_found", 404, ""],
    ["server_error", 502, ""],
    ["other", 200, ""],
  ] as const)(
    "never suggests a command for a host that is not a DNS name or IP (%s %i %s)",
    (category, statusCode, sample) => {
      for (const webhookUrl of [
        "https://a$(id).test/x",
        "https://a`id`.test/",
        "https://x;reboot;.example/",
        "https://a'b.test/",
      ]) {
        const hint = hintFor({ ...base, category, statusCode, sampleResponse: sample, webhookUrl });
        expect(hint).not.toContain("`");
        expect(hint).not.toMatch(/\$\(|;reboot|'b/);
        if (["unreachable", "tls", "timeout", "redirect", "not_found", "other"].includes(category)) {
          expect(hint).toContain("the host is not a valid DNS name");
        }
      }
    },
  );

  it("quotes every interpolated value so a pasted command runs only itself (seeded fuzz)", () => {
    const seed = 20260101;
    const random = seeded(seed);
    const alphabet = "abc-./:?#=&%'\"`$();|<>\\ !*~{}[]@+,\n\t";
    const categories = ["unreachable", "tls", "timeout", "redirect", "not_found", "other"] as const;
    for (let i = 0; i < 400; i++) {
      let tail = "";
      for (let j = 0; j < 12; j++) tail += alphabet[Math.floor(random() * alphabet.length)];
      const host = random() < 0.5 ? "hooks.example.com" : `h${tail.slice(0, 4)}.example`;
      const webhookUrl = `https://${host}${random() < 0.5 ? ":8443" : ""}/${tail}`;
      const category = categories[i % categories.length] as (typeof categories)[number];
      const sampleResponse = ["getaddrinfo ENOTFOUND", "ECONNRESET", "wrong version number", ""][i % 4] as string;
      const hint = hintFor({
        ...base,
        category,
        statusCode: category === "redirect" ? 301 : 0,
        sampleResponse,
        webhookUrl,
      });
      const ticks = hint.match(/`/g)?.length ?? 0;
      expect(ticks % 2, `seed ${seed}, url ${JSON.stringify(webhookUrl)}`).toBe(0);
      for (const [, command] of hint.matchAll(/`([^`]*)`/g)) {
        expect(
          () => shellWords(command ?? ""),
          `seed ${seed}, url ${JSON.stringify(webhookUrl)}: ${command}`,
        ).not.toThrow();
      }
    }
  });
});

/**
 * Splits a command the way a POSIX shell would, accepting only single-quoted text and plain characters that
 * no shell treats specially outside quotes: anything else (a `$`, `;`, backtick, ...) throws.
 */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i] as string;
    if (char === "'") {
      const end = command.indexOf("'", i + 1);
      if (end === -1) throw new Error(`unterminated quote in ${command}`);
      word = (word ?? "") + command.slice(i + 1, end);
      i = end;
    } else if (char === "\\" && command[i + 1] === "'") {
      word = `${word ?? ""}'`;
      i++;
    } else if (char === " ") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (/[A-Za-z0-9+\-/.:_=,@%]/.test(char)) {
      word = (word ?? "") + char;
    } else {
      throw new Error(`unquoted ${JSON.stringify(char)} in ${command}`);
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

// Through the built bin against the emulator: failures at the webhook's old URL, then update_webhook to a new
// one. Before, the hint aimed its curl at the new URL ("Nothing is routed at /slack/exa: curl …new…").
describe("after update_webhook changes the URL, through the bin", () => {
  const itThroughBin = it.extend("server", async ({ emulator }, { onCleanup }) => {
    const server = await spawnBuiltServer([], { EXA_API_KEY: TEST_API_KEY, EXA_BASE_URL: emulator.baseUrl });
    onCleanup(() => server.close());
    return server;
  });

  itThroughBin(
    "aims the hint at the URL the attempts went to and says when the URL changed",
    async ({ emulator, server }) => {
      const oldUrl = "http://localhost:3000/slack/exa";
      const newUrl = "https://hooks.example.com/exa";
      const { id } = emulator.store.createWebhook({ url: oldUrl, events: ["webset.idle"] });
      const startMs = Date.now() - 5 * 3_600_000;
      const attempt = (i: number, url: string, successful: boolean) => ({
        webhookId: id,
        eventId: `event_move_${i}`,
        eventType: "webset.idle",
        url,
        successful,
        responseStatusCode: successful ? 200 : 404,
        responseBody: successful ? "ok" : "Cannot POST /slack/exa",
        attempt: 1,
        attemptedAt: startMs + i * 60_000,
      });
      emulator.store.addAttempts([
        ...Array.from({ length: 6 }, (_, i) => attempt(i, oldUrl, false)),
        ...Array.from({ length: 3 }, (_, i) => attempt(10 + i, newUrl, true)),
      ]);
      expect((await server.call("update_webhook", { webhookId: id, url: newUrl })).isError).toBe(false);

      const answer = await server.call("diagnose_failures", { webhookId: id });
      const at = (i: number) => new Date(startMs + i * 60_000).toISOString();
      expect(answer.text).toContain(
        `These attempts went to ${oldUrl}, not to the webhook's current URL ${newUrl} (changed between ${at(5)} and ${at(10)})`,
      );
      expect(answer.text).toContain(`Nothing is routed at /slack/exa: run \`curl -sv -X POST '${oldUrl}'\``);
      expect(answer.text).not.toContain(`curl -sv -X POST '${newUrl}'`);
    },
  );
});

// Clock skew, through the bin. Attempt times are Exa's: "recent" is judged against Exa's Date header, and an
// attempt dated after Exa's clock is named as skew (before: "Exa may still be retrying", "logs around 9999-12-31").
describe("attempt dates against Exa's clock, through the bin", () => {
  const HOUR = 3_600_000;

  function failingWebhook(emulator: Emulator, times: number[]): string {
    const { id } = emulator.store.createWebhook({ url: "https://hooks.example.com/exa", events: ["webset.idle"] });
    emulator.store.addAttempts(
      times.map((attemptedAt, i) => ({
        webhookId: id,
        eventId: `event_skew_${id}_${i}`,
        eventType: "webset.idle",
        successful: false,
        responseStatusCode: 500,
        responseBody: "TypeError: boom",
        attempt: 1,
        attemptedAt,
      })),
    );
    return id;
  }

  async function diagnose(baseUrl: string, webhookId: string): Promise<string> {
    const server = await spawnBuiltServer([], { EXA_API_KEY: TEST_API_KEY, EXA_BASE_URL: baseUrl });
    try {
      const answer = await server.call("diagnose_failures", { webhookId });
      expect(answer.isError, answer.text).toBe(false);
      return answer.text;
    } finally {
      await server.close();
    }
  }

  it("attempts dated hours ahead, or 9999-12-31, are skew: not 'still retrying', no logs to read in year 9999", async ({
    emulator,
  }) => {
    const id = failingWebhook(emulator, [
      Date.now() - 30 * HOUR,
      Date.now() + 5 * HOUR,
      Date.parse("9999-12-31T00:00:00Z"),
    ]);
    const text = await diagnose(emulator.baseUrl, id);
    expect(text).toContain("Exa dates these attempts up to 9999-12-31T00:00:00.000Z, after its own clock (");
    expect(text).not.toContain("around 9999-12-31");
    expect(text).not.toContain("Exa may still be retrying");
    expect(text).toContain("app logs when these requests failed (their dates are skewed)");
  });

  it("judges 'recent' by Exa's Date header when this machine's clock runs 3 h ahead of Exa's", async ({
    emulator,
    onTestFinished,
  }) => {
    // A peer in front of the emulator whose Date header says Exa's clock is 3 h behind ours.
    const proxy = createServer(async (request, response) => {
      const upstream = await fetch(`${emulator.baseUrl}${request.url}`, {
        headers: { "x-api-key": String(request.headers["x-api-key"] ?? "") },
      });
      const body = await upstream.text();
      response.writeHead(upstream.status, {
        "content-type": upstream.headers.get("content-type") ?? "application/json",
        date: new Date(Date.now() - 3 * HOUR).toUTCString(),
      });
      response.end(body);
    });
    onTestFinished(() => {
      proxy.close();
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as AddressInfo;
    // 30 minutes before Exa's now: recent to Exa, 3.5 h old to our clock.
    const id = failingWebhook(emulator, [Date.now() - 3.5 * HOUR]);
    const text = await diagnose(`http://127.0.0.1:${port}`, id);
    expect(text).toContain("1 failure newer than one hour: Exa may still be retrying");
    expect(text).not.toContain("after its own clock");
  });
});
