// The baseline a script without this server would run: page one webhook's attempts sequentially with the
// cursor until hasMore=false. Runs as its own process; prints one JSON line with its timing and peak memory.
// Usage: EXA_BASE_URL=... EXA_API_KEY=... node bench/cursor-walk.mjs <webhookId>
import { peakRssMb } from "./lib/proc.mjs";

const MAX_PAGES = 10_000;
const webhookId = process.argv[2];
const baseUrl = process.env.EXA_BASE_URL;
const apiKey = process.env.EXA_API_KEY;
if (!webhookId || !baseUrl || !apiKey) {
  process.stderr.write("usage: EXA_BASE_URL=... EXA_API_KEY=... node bench/cursor-walk.mjs <webhookId>\n");
  process.exit(2);
}

const started = performance.now();
let cursor;
let pages = 0;
let attempts = 0;
let failed = 0;
let rawBytes = 0;
do {
  const query = new URLSearchParams({ limit: "200" });
  if (cursor) query.set("cursor", cursor);
  const response = await fetch(`${baseUrl}/websets/v0/webhooks/${webhookId}/attempts?${query}`, {
    headers: { "x-api-key": apiKey },
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`page ${pages + 1}: HTTP ${response.status} ${body.slice(0, 200)}`);
  rawBytes += Buffer.byteLength(body);
  const page = JSON.parse(body);
  pages++;
  attempts += page.data.length;
  for (const attempt of page.data) if (!attempt.successful) failed++;
  cursor = page.hasMore ? page.nextCursor : undefined;
} while (cursor && pages < MAX_PAGES);
const wallMs = performance.now() - started;

process.stdout.write(`${JSON.stringify({ wallMs, pages, attempts, failed, rawBytes, peakRssMb: peakRssMb() })}\n`);
