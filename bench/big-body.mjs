// `node bench/big-body.mjs [path/to/dist/index.js]` (after `npm run build`): peak RSS of the server process
// while an upstream on 127.0.0.1 answers list_webhooks with a huge body (50 and 200 MB). The built bin runs
// one `call list_webhooks` and is measured with /usr/bin/time (max resident set); prints a markdown table.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { DIST_BIN } from "./lib/paths.mjs";
import { markdownTable } from "./lib/table.mjs";

const bin = process.argv[2] ?? DIST_BIN;
const SIZES_MB = [1, 50, 200];

function webhookJson(index) {
  return JSON.stringify({
    id: `webhook_${String(index).padStart(8, "0")}`,
    object: "webhook",
    status: "active",
    events: ["webset.idle"],
    url: `https://example.com/h${index}`,
    secret: null,
    metadata: {},
    createdAt: "2026-11-01T00:00:00Z",
    updatedAt: "2026-11-01T00:00:00Z",
  });
}

/** Streams a valid page of webhooks of about `megabytes` MB, chunked, with no content-length. */
function startUpstream(megabytes) {
  const target = megabytes * 1024 * 1024;
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"data":[');
    let sent = 0;
    let index = 0;
    const pump = () => {
      while (sent < target) {
        const parts = [];
        for (let i = 0; i < 1000; i++, index++) parts.push((index ? "," : "") + webhookJson(index));
        const chunk = parts.join("");
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end('],"hasMore":false,"nextCursor":null}');
    };
    res.on("error", () => {});
    pump();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function measure(baseUrl) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "/usr/bin/time",
      ["-f", "%M %e", process.execPath, bin, "call", "list_webhooks", '{"limit":5}'],
      {
        env: {
          PATH: process.env.PATH ?? "",
          EXA_API_KEY: "bench-key",
          EXA_BASE_URL: baseUrl,
          EXA_TIMEOUT_MS: "120000",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", () => {
      const [kb, seconds] = stderr.trim().split("\n").at(-1).split(" ").map(Number);
      resolve({ peakMb: kb / 1024, seconds, answer: stdout.trim().split("\n")[0].slice(0, 90) });
    });
  });
}

const rows = [["body", "peak RSS (MB)", "wall (s)", "first line of the answer"]];
for (const megabytes of SIZES_MB) {
  const upstream = await startUpstream(megabytes);
  const result = await measure(`http://127.0.0.1:${upstream.address().port}`);
  upstream.closeAllConnections();
  upstream.close();
  rows.push([`${megabytes} MB`, result.peakMb.toFixed(0), result.seconds.toFixed(1), result.answer]);
}
process.stdout.write(`${markdownTable(rows)}\n`);
