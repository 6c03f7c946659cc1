// Hosting bench (issue 11): one replica of the built bin over --http on 127.0.0.1, as it is hosted (bearer
// token, the caller's key in X-Exa-Api-Key). (1) requests per second for tools/list, with autocannon from the
// npm registry (`npx -y autocannon`), 8 s per protocol generation; (2) list_webhooks latency while one
// diagnose_failures call walks 100,000 attempts (behind 100 ms of emulator latency, as bench/diagnose.mjs) on
// the same replica, against the same calls with the replica idle. Prints markdown tables.
// Run: npm run build && node bench/hosting.mjs
import { spawn } from "node:child_process";
import { Client, LOG_LEVEL_META_KEY, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { loadEmulatorModule } from "./lib/emulator.mjs";
import { SUBSCRIBED_TYPES, seedDeliveryHistory, TYPE_MIXES } from "./lib/history.mjs";
import { DIST_BIN } from "./lib/paths.mjs";
import { run } from "./lib/proc.mjs";
import { fixed, markdownTable, thousands } from "./lib/table.mjs";

const TOKEN = "bench-hosting-token-0123456789abcdef";
const CALLER_KEY = "exa-bench-caller-key";
const ATTEMPTS = 100_000;
const LATENCY_MS = 100;
const AUTOCANNON = { seconds: 8, connections: 10 };
const IDLE_CALLS = 40;

const log = (line) => process.stderr.write(`[bench] ${line}\n`);

async function startReplica(env) {
  const child = spawn(process.execPath, [DIST_BIN, "--http", "--port", "0"], {
    // Memory, so a replica's diagnoses never write the user's state file.
    env: { PATH: process.env.PATH ?? "", MCP_AUTH_TOKEN: TOKEN, EXA_WEBHOOKS_STORE: "memory", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    child.stdout.once("data", (chunk) => resolve(chunk.toString().split("\n")[0].trim()));
    child.once("exit", (code) => reject(new Error(`the server exited (${code})`)));
  });
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        child.once("close", resolve);
        child.kill("SIGTERM");
      }),
  };
}

const HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  authorization: `Bearer ${TOKEN}`,
  "x-exa-api-key": CALLER_KEY,
};

const TOOLS_LIST = {
  "2025 (stateless, no initialize)": {
    headers: HEADERS,
    body: { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} },
  },
  "2026-07-28": {
    headers: { ...HEADERS, "mcp-method": "tools/list", "mcp-protocol-version": "2026-07-28" },
    body: {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/list",
      params: {
        _meta: {
          "io.modelcontextprotocol/protocolVersion": "2026-07-28",
          "io.modelcontextprotocol/clientInfo": { name: "bench", version: "1" },
          "io.modelcontextprotocol/clientCapabilities": {},
        },
      },
    },
  },
};

async function toolsListRate(url) {
  const rows = [];
  for (const [era, request] of Object.entries(TOOLS_LIST)) {
    const check = await fetch(url, { method: "POST", headers: request.headers, body: JSON.stringify(request.body) });
    if (check.status !== 200 || !(await check.text()).includes("diagnose_failures")) {
      throw new Error(`tools/list (${era}) answered ${check.status}`);
    }
    log(`autocannon: tools/list, ${era}, ${AUTOCANNON.seconds} s, ${AUTOCANNON.connections} connections`);
    const args = ["-y", "autocannon", "-j", "-d", String(AUTOCANNON.seconds), "-c", String(AUTOCANNON.connections)];
    args.push("-m", "POST", "-b", JSON.stringify(request.body));
    for (const [name, value] of Object.entries(request.headers)) args.push("-H", `${name}=${value}`);
    const { stdout } = await run("npx", [...args, url], { env: process.env });
    const result = JSON.parse(stdout);
    rows.push({
      era,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      total: result.requests.total,
      non2xx: result.non2xx + result.errors + result.timeouts,
    });
  }
  return rows;
}

async function connect(url) {
  const client = new Client({ name: "exa-webhooks-bench", version: "1" }, { versionNegotiation: { mode: "auto" } });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${TOKEN}`, "x-exa-api-key": CALLER_KEY } },
    }),
  );
  return client;
}

async function timedListWebhooks(client) {
  const started = performance.now();
  const result = await client.callTool({ name: "list_webhooks", arguments: {} });
  if (result.isError) throw new Error(`list_webhooks failed: ${JSON.stringify(result.content)}`);
  return performance.now() - started;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function listDuringDiagnosis(emulatorModule) {
  const emulator = await emulatorModule.startEmulator();
  const replica = await startReplica({ EXA_BASE_URL: emulator.baseUrl });
  try {
    const webhook = emulator.store.createWebhook({
      url: "https://hooks.acme.dev/api/webhooks/exa",
      events: SUBSCRIBED_TYPES,
    });
    seedDeliveryHistory(emulator.store, {
      webhookId: webhook.id,
      attempts: ATTEMPTS,
      endMs: Date.now(),
      typeWeights: TYPE_MIXES.realistic,
    });
    emulator.faults.latencyMs = LATENCY_MS;
    const lister = await connect(replica.url);
    const diagnoser = await connect(replica.url);
    try {
      log(`list_webhooks x${IDLE_CALLS}, replica idle`);
      const idle = [];
      for (let index = 0; index < IDLE_CALLS; index++) idle.push(await timedListWebhooks(lister));

      log(`list_webhooks in a loop while diagnose_failures walks ${thousands(ATTEMPTS)} attempts`);
      let progressNotes = 0;
      let logNotes = 0;
      diagnoser.setNotificationHandler("notifications/message", () => {
        logNotes++;
      });
      const started = performance.now();
      let done = false;
      const diagnosis = diagnoser
        .callTool(
          {
            name: "diagnose_failures",
            arguments: { webhookId: webhook.id, maxAttempts: 200_000 },
            _meta: { [LOG_LEVEL_META_KEY]: "info" },
          },
          { timeout: 300_000, onprogress: () => progressNotes++ },
        )
        .finally(() => {
          done = true;
        });
      const during = [];
      while (!done) during.push(await timedListWebhooks(lister));
      const answer = await diagnosis;
      if (answer.isError) throw new Error(`diagnose_failures failed: ${JSON.stringify(answer.content)}`);
      return { idle, during, diagnosisMs: performance.now() - started, progressNotes, logNotes };
    } finally {
      await lister.close();
      await diagnoser.close();
    }
  } finally {
    await replica.stop();
    await emulator.close();
  }
}

const emulatorModule = await loadEmulatorModule();
const emulator = await emulatorModule.startEmulator();
const replica = await startReplica({ EXA_BASE_URL: emulator.baseUrl });
let rates;
try {
  rates = await toolsListRate(replica.url);
} finally {
  await replica.stop();
  await emulator.close();
}
const latency = await listDuringDiagnosis(emulatorModule);

const lines = [
  `**One replica over \`--http\`** (node ${process.versions.node}, 127.0.0.1, bearer token and X-Exa-Api-Key on every request):`,
  "",
  markdownTable([
    ["tools/list", "requests/s", "latency p50 ms", "p99 ms", "requests", "non-2xx / errors"],
    ...rates.map((row) => [row.era, thousands(row.rps), row.p50, row.p99, thousands(row.total), row.non2xx]),
  ]),
  "",
  `autocannon, ${AUTOCANNON.connections} connections, ${AUTOCANNON.seconds} s each; every request builds a fresh server.`,
  "",
  markdownTable([
    ["list_webhooks (emulator latency 100 ms)", "calls", "p50 ms", "p95 ms", "max ms"],
    ...[
      ["replica idle", latency.idle],
      [`during a ${thousands(ATTEMPTS)}-attempt diagnose_failures`, latency.during],
    ].map(([name, values]) => [
      name,
      values.length,
      fixed(percentile(values, 50)),
      fixed(percentile(values, 95)),
      fixed(Math.max(...values)),
    ]),
  ]),
  "",
  `The diagnosis took ${thousands(latency.diagnosisMs)} ms with ${latency.progressNotes} progress and ${latency.logNotes} log notifications on its own stream.`,
];
process.stdout.write(`${lines.join("\n")}\n`);
