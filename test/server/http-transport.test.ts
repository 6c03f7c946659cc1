// Streamable HTTP at /mcp: the same server over HTTP, loopback by default, Host/Origin checked.
import { loadConfig } from "../../src/config.js";
import { startEmulator } from "../../src/sandbox/emulator.js";
import { serveHttp } from "../../src/transports/http.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import { connectClient, TEST_API_KEY } from "../helpers/harness.js";

const it = test
  /** The emulator (holding webhook_http) for the file, and --http on it: its server and the lines it announced. */
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern: nothing.
  .extend("served", { scope: "file" }, async ({}, { onCleanup }) => {
    const emulator = await startEmulator();
    emulator.store.createWebhook({ url: "https://example.com/h", events: ["webset.idle"], id: "webhook_http" });
    const config = loadConfig({ EXA_API_KEY: TEST_API_KEY, EXA_BASE_URL: emulator.baseUrl });
    const announced: string[] = [];
    const http = await serveHttp(config, {}, { host: "127.0.0.1", port: 0 }, (line) => announced.push(line));
    onCleanup(async () => {
      await http.close();
      await emulator.close();
    });
    return { http, announced };
  });

describe("--http", () => {
  it("announces http://127.0.0.1:PORT/mcp", ({ served: { http, announced } }) => {
    expect(announced).toEqual([http.url]);
    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it("serves tools to a Streamable HTTP client", async ({ served: { http } }) => {
    const session = await connectClient({ transport: { kind: "http", url: http.url } });
    try {
      const { tools } = await session.client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("diagnose_failures");
      const answer = await session.call("get_webhook", { webhookId: "webhook_http" });
      expect(answer.isError).toBe(false);
      expect(answer.text).toContain("webhook_http");
    } finally {
      await session.close();
    }
  });

  it("refuses a foreign Host or Origin (DNS rebinding) and other paths", async ({ served: { http } }) => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const evilOrigin = await fetch(http.url, {
      method: "POST",
      body,
      headers: { ...headers, origin: "https://evil.example" },
    });
    expect(evilOrigin.status).toBe(403);
    expect(await evilOrigin.text()).toContain("DNS rebinding");
    const evilHost = await rawRequest(http.url, "evil.example:80", body);
    expect(evilHost).toContain("403");
    const wrongPath = await fetch(http.url.replace("/mcp", "/other"), { method: "POST", body, headers });
    expect(wrongPath.status).toBe(404);
  });
});

/** fetch will not let us forge Host, so speak HTTP/1.1 directly. */
async function rawRequest(url: string, host: string, body: string): Promise<string> {
  const { connect } = await import("node:net");
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST ${pathname} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
    let response = "";
    socket.on("data", (chunk) => {
      response += chunk.toString();
    });
    socket.on("end", () => resolve(response.split("\r\n")[0] ?? ""));
    socket.on("error", reject);
  });
}
