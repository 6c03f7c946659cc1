// The flags of `exa-webhooks-mcp listen`: checked here into one structure, refused with a usage error (exit 2)
// when they cannot work together, before anything starts. Loaded by the listen command alone (src/main.ts).
import { parseSince } from "../diagnose/since.js";
import { EVENT_TYPES, isEventType } from "../exa/event-types.js";
import { isValidId } from "../exa/ids.js";
import { LISTEN_OUTPUTS, type ListenOutput } from "../listen/render.js";

export interface ListenFlags {
  forwardTo: string | undefined;
  webhookId: string | undefined;
  /** --events; undefined = the webhook's subscribed types (or every type without --webhook). */
  events: string[] | undefined;
  since: string | undefined;
  /** undefined = compact on a TTY, json otherwise. */
  output: ListenOutput | undefined;
  replay: string | undefined;
  /** The webhook's real secret; never printed. */
  secret: string | undefined;
  allowRemoteTarget: boolean;
  sandbox: boolean;
  store: string | undefined;
}

/** The raw values parseArgs read for listen's flags. */
export interface ListenFlagValues {
  "forward-to"?: string | undefined;
  webhook?: string | undefined;
  events?: string | undefined;
  since?: string | undefined;
  output?: string | undefined;
  replay?: string | undefined;
  secret?: string | undefined;
  "allow-remote-target"?: boolean | undefined;
  sandbox?: boolean | undefined;
  store?: string | undefined;
}

const LATEST_DATE = new Date(8_640_000_000_000_000);

export function parseListenFlags(values: ListenFlagValues, fail: (message: string) => Error): ListenFlags {
  const forwardTo = values["forward-to"];
  if (!forwardTo)
    throw fail("listen needs --forward-to URL, e.g. listen --forward-to http://localhost:3000/webhooks/exa.");
  const webhookId = values.webhook?.trim() || undefined;
  if (webhookId !== undefined && !isValidId(webhookId))
    throw fail(`--webhook ${JSON.stringify(webhookId.slice(0, 80))} is not a webhook id; list_webhooks shows them.`);
  const events = values.events === undefined ? undefined : parseEventList(values.events, fail);
  if (webhookId && events) throw fail("Give --webhook (its subscribed types) or --events, not both.");
  const output = values.output;
  if (output !== undefined && !LISTEN_OUTPUTS.includes(output as ListenOutput))
    throw fail(`--output must be one of ${LISTEN_OUTPUTS.join(", ")}, got ${JSON.stringify(output.slice(0, 40))}.`);
  const replay = values.replay?.trim() || undefined;
  if (replay !== undefined && !isValidId(replay))
    throw fail(`--replay ${JSON.stringify(replay.slice(0, 80))} is not an event id.`);
  if (replay && values.since) throw fail("--replay sends one event; --since does not go with it.");
  // Its form is checked now; the instant is taken later, on Exa's clock (the far future only skips "in the future").
  if (values.since !== undefined) {
    try {
      parseSince(values.since, LATEST_DATE);
    } catch (error) {
      throw fail(`--${(error as Error).message}`);
    }
  }
  return {
    forwardTo,
    webhookId,
    events,
    since: values.since,
    output: output as ListenOutput | undefined,
    replay,
    secret: values.secret,
    allowRemoteTarget: values["allow-remote-target"] ?? false,
    sandbox: values.sandbox ?? false,
    store: values.store,
  };
}

function parseEventList(raw: string, fail: (message: string) => Error): string[] {
  const types = [
    ...new Set(
      raw
        .split(",")
        .map((type) => type.trim())
        .filter(Boolean),
    ),
  ];
  if (!types.length) throw fail("--events needs at least one event type, e.g. --events webset.item.created.");
  const unknown = types.filter((type) => !isEventType(type));
  if (unknown.length)
    throw fail(
      `Unknown event type in --events: ${unknown.map((type) => JSON.stringify(type.slice(0, 60))).join(", ")}. Valid types: ${EVENT_TYPES.join(", ")}.`,
    );
  return types;
}
