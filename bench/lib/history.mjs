// A realistic delivery history for one webhook: events over 14 days across 12 subscribed types, most
// delivered first time, background failures that recover on retry, and incidents (a broken route after a
// deploy, a rotated secret, an expired certificate, DNS gone) whose retries keep failing. Each attempted
// event is stored too (created shortly before its first attempt, with a small payload), and a few events
// of the same types that no attempt carries: what the never-attempted check lists and finds.

export const SUBSCRIBED_TYPES = [
  "webset.created",
  "webset.paused",
  "webset.idle",
  "webset.search.created",
  "webset.search.completed",
  "webset.search.updated",
  "import.created",
  "import.completed",
  "webset.item.created",
  "webset.item.enriched",
  "monitor.run.created",
  "monitor.run.completed",
];
/** How events spread over SUBSCRIBED_TYPES (weights in the same order). */
export const TYPE_MIXES = {
  // Item events dominate real traffic; lifecycle events are rare.
  realistic: [2, 1, 3, 3, 3, 8, 1, 1, 40, 30, 2, 2],
  uniform: SUBSCRIBED_TYPES.map(() => 1),
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SPAN_MS = 14 * DAY;
/** Exa retries a failed delivery a few times with growing gaps. */
const RETRY_DELAYS_MS = [MINUTE, 5 * MINUTE, 30 * MINUTE];

const STACK_500 =
  "TypeError: Cannot read properties of undefined (reading 'items')\n    at handleExaEvent (/app/src/webhooks/exa.ts:57:31)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)";
const BACKGROUND = [
  { weight: 45, status: 500, body: STACK_500 },
  {
    weight: 20,
    status: 502,
    body: "<html><head><title>502 Bad Gateway</title></head><body>nginx/1.25.3</body></html>",
  },
  { weight: 20, status: 0, body: "The operation was aborted due to timeout" },
  { weight: 10, status: 429, body: '{"error":"Too Many Requests","retryAfter":30}' },
  { weight: 5, status: 0, body: "socket hang up" },
];
// Offsets from the start of the 14 days; each incident fails every delivery (retries included) while it lasts.
const INCIDENTS = [
  { startMs: 2 * DAY + 3 * HOUR, lengthMs: 2 * HOUR, status: 404, body: "Cannot POST /api/webhooks/exa" },
  {
    startMs: 6 * DAY + 9 * HOUR,
    lengthMs: 3.5 * HOUR,
    status: 401,
    body: '{"error":"Webhook signature verification failed"}',
  },
  {
    startMs: 9 * DAY,
    lengthMs: 2.5 * HOUR,
    status: 0,
    body: "certificate has expired (CERT_HAS_EXPIRED) while connecting to hooks.acme.dev:443",
  },
  { startMs: 12 * DAY + 20 * HOUR, lengthMs: HOUR, status: 0, body: "getaddrinfo ENOTFOUND hooks.acme.dev" },
];
/** Events stored with no attempt at all, spread over the 14 days. */
const NEVER_ATTEMPTED_EVENTS = 40;
/** Exa sends within a second or so of creating the event. */
const FIRST_ATTEMPT_DELAY_MS = 400;

/** Outside incidents, the share of events whose first delivery fails; tuned so ~20% of attempts fail. */
const BACKGROUND_FAILURE_RATE = 0.095;
const RETRY_RECOVERY_RATE = 0.7;

/**
 * Adds exactly `attempts` attempts for webhookId and their events, plus NEVER_ATTEMPTED_EVENTS events of the
 * same types without attempts; deterministic for a seed; typeWeights from TYPE_MIXES.
 * @param {import("../../src/sandbox/emulator.js").EmulatorStore} store
 * @returns {{ attempts: number, failed: number, events: number, neverAttempted: number, startMs: number }}
 */
export function seedDeliveryHistory(store, { webhookId, attempts: target, endMs, typeWeights, seed = 7 }) {
  const random = mulberry32(seed);
  const startMs = endMs - SPAN_MS - HOUR; // the last retries still land before endMs
  // About 0.88 events per attempt: the rest are retries.
  const stepMs = SPAN_MS / (target * 0.88);
  const inputs = [];
  const stored = [];
  let failed = 0;
  let events = 0;
  const add = (eventId, eventType, at, attempt, outcome) => {
    const successful = outcome === undefined;
    if (!successful) failed++;
    inputs.push({
      webhookId,
      eventId,
      eventType,
      successful,
      responseStatusCode: successful ? 200 : outcome.status,
      responseBody: successful ? '{"received":true}' : outcome.body,
      attempt,
      attemptedAt: at,
    });
  };

  for (let at = startMs; inputs.length < target; at += stepMs * (0.5 + random())) {
    events++;
    const eventId = `event_${randomId(random)}`;
    const eventType = pick(SUBSCRIBED_TYPES, typeWeights, random);
    stored.push({ id: eventId, type: eventType, createdAt: Math.round(at) - FIRST_ATTEMPT_DELAY_MS });
    const incidentAt = (ms) =>
      INCIDENTS.find((i) => ms - startMs >= i.startMs && ms - startMs < i.startMs + i.lengthMs);
    const first = incidentAt(at) ?? (random() < BACKGROUND_FAILURE_RATE ? pickWeighted(BACKGROUND, random) : undefined);
    add(eventId, eventType, Math.round(at), 1, first);
    if (!first) continue;
    let retryAt = at;
    for (const [index, delay] of RETRY_DELAYS_MS.entries()) {
      if (inputs.length >= target) break;
      retryAt += delay;
      const incident = incidentAt(retryAt);
      const outcome = incident ?? (random() < RETRY_RECOVERY_RATE ? undefined : first);
      add(eventId, eventType, Math.round(retryAt), index + 2, outcome);
      if (!outcome) break;
    }
  }
  store.addAttempts(inputs);
  for (let i = 0; i < NEVER_ATTEMPTED_EVENTS; i++) {
    const at = startMs + HOUR + ((SPAN_MS - 2 * HOUR) * (i + random())) / NEVER_ATTEMPTED_EVENTS;
    stored.push({ id: `event_${randomId(random)}`, type: pick(SUBSCRIBED_TYPES, typeWeights, random), createdAt: at });
  }
  stored.sort((a, b) => a.createdAt - b.createdAt);
  for (const event of stored) {
    const data = {
      id: `witem_${event.id.slice(6)}`,
      object: "webset_item",
      createdAt: new Date(event.createdAt).toISOString(),
    };
    store.addEvent({ ...event, createdAt: Math.round(event.createdAt), data });
  }
  return { attempts: inputs.length, failed, events, neverAttempted: NEVER_ATTEMPTED_EVENTS, startMs };
}

function pick(values, weights, random) {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let roll = random() * total;
  for (const [index, weight] of weights.entries()) {
    roll -= weight;
    if (roll < 0) return values[index];
  }
  return values[values.length - 1];
}

function pickWeighted(options, random) {
  return pick(
    options,
    options.map((option) => option.weight),
    random,
  );
}

/** Shaped like Exa's ids (24 lowercase alphanumerics), so byte counts match real pages. */
function randomId(random) {
  let id = "";
  for (let i = 0; i < 24; i++) id += ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length)];
  return id;
}
const ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
