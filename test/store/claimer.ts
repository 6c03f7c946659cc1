// A second process for the store's concurrency tests: opens the store named in argv, claims events in a seeded
// order, records each claim as accepted, and prints one JSON line: the ids it won. With a fourth argument
// "hang" it claims the first event, prints {"claimed": id} and waits, never recording (to be SIGKILLed).
// Bundled by bundle.ts.
import { openStore } from "../../src/store/open.js";
import type { StoreSpec } from "../../src/store/types.js";

const [specJson, countText, seedText, mode] = process.argv.slice(2);
const spec = JSON.parse(String(specJson)) as StoreSpec;
const count = Number(countText);
let state = Number(seedText) >>> 0 || 1;
const random = () => {
  // xorshift32: the same seed gives the same order in every run.
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 2 ** 32;
};
const ids = Array.from({ length: count }, (_, i) => `event_${i}`);
for (let i = ids.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
}

const opened = await openStore(spec);
if (!opened.ok) {
  process.stdout.write(`${JSON.stringify({ error: opened.unavailable })}\n`);
  process.exit(1);
}
const { store } = opened;
const account = store.accountId("exa-key-shared");
if (mode === "hang") {
  const eventId = ids[0] as string;
  await store.ledger.claim({ account, webhookId: "webhook_a", eventId, target: "http://127.0.0.1:9/hook" });
  process.stdout.write(`${JSON.stringify({ claimed: eventId })}\n`);
  setInterval(() => {}, 60_000);
  await new Promise(() => {});
}
const won: string[] = [];
for (const eventId of ids) {
  const claim = await store.ledger.claim({
    account,
    webhookId: "webhook_a",
    eventId,
    target: "http://127.0.0.1:9/hook",
  });
  if (claim.kind !== "claimed") continue;
  won.push(eventId);
  await store.ledger.record(claim.claimId, { status: 200, category: "delivered", latencyMs: 1, timedOut: false });
}
await store.close();
process.stdout.write(`${JSON.stringify({ won })}\n`);
