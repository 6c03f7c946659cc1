// The built bin answers a 2026-07-28 client natively (server/discover, stateless requests) and 2025 clients
// (initialize, 2025-11-25 and 2025-06-18) alike, over stdio and Streamable HTTP, as the SDK's v2 client sees it.
// CI runs this file under Node 20, 24 and 26 (process.execPath is the Node under test).
import type { ClientOptions } from "@modelcontextprotocol/client";
import { ALL_TOOLS } from "../../src/tools/index.js";
import { describe, expect, test } from "../helpers/fixtures.js";
import {
  builtBin,
  type ClientSession,
  connectClient,
  spawnBuiltServer,
  startBin,
  TEST_API_KEY,
} from "../helpers/harness.js";

const CLIENTS: [string, ClientOptions, "modern" | "legacy", string][] = [
  ["2026-07-28 (auto negotiation)", { versionNegotiation: { mode: "auto" } }, "modern", "2026-07-28"],
  ["2025-11-25 (forced legacy)", { supportedProtocolVersions: ["2025-11-25"] }, "legacy", "2025-11-25"],
  ["2025-06-18 (forced legacy)", { supportedProtocolVersions: ["2025-06-18"] }, "legacy", "2025-06-18"],
];

const it = test
  /** One emulator for the file, holding webhook_eras. */
  .extend("erasEmulator", { scope: "file" }, ({ fileEmulator }) => {
    fileEmulator.store.createWebhook({ url: "https://example.com/e", events: ["webset.idle"], id: "webhook_eras" });
    return fileEmulator;
  })
  /** The built bin over Streamable HTTP on that emulator, one for the file. */
  .extend("httpServer", { scope: "file" }, async ({ erasEmulator }, { onCleanup }) => {
    const server = await startBin(
      builtBin(["--http", "--port", "0"], { EXA_API_KEY: TEST_API_KEY, EXA_BASE_URL: erasEmulator.baseUrl }),
    );
    onCleanup(() => server.stop());
    return server;
  });

async function expectServes(session: ClientSession, era: string, version: string): Promise<void> {
  const { client } = session;
  expect(client.getProtocolEra()).toBe(era);
  expect(client.getNegotiatedProtocolVersion()).toBe(version);
  expect(client.getServerVersion()?.title).toBe("Exa Websets Webhooks");
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name)).toEqual(
    ALL_TOOLS.filter((tool) => !tool.sandboxOnly).map((tool) => tool.name),
  );
  const answer = await session.call("get_webhook", { webhookId: "webhook_eras" });
  expect(answer.isError).toBe(false);
  expect(answer.text).toContain("webhook_eras");
  const invalid = await session.call("list_webhooks", { limit: 500 });
  expect(invalid.isError).toBe(true);
  expect(invalid.text).toContain("limit must be between 1 and 200");
}

describe("stdio", () => {
  it.for(CLIENTS)("serves a %s client", async ([_, options, era, version], { erasEmulator: emulator }) => {
    const server = await spawnBuiltServer([], { EXA_API_KEY: TEST_API_KEY, EXA_BASE_URL: emulator.baseUrl }, options);
    try {
      await expectServes(server, era, version);
    } finally {
      await server.close();
    }
  });
});

describe("--http", () => {
  it.for(CLIENTS)("serves a %s client", async ([_, options, era, version], { httpServer: server }) => {
    const session = await connectClient({ transport: { kind: "http", url: server.url }, client: options });
    try {
      await expectServes(session, era, version);
    } finally {
      await session.close();
    }
  });
});
