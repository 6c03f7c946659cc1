// Zod pieces shared by the tools' input schemas, each described once for a model, and the one way a tool's
// arguments are parsed: every refusal names its field, and echoes at most a bounded slice of the input.
import { z } from "zod";
import { closestEventType, EVENT_TYPES, isEventType } from "../exa/event-types.js";
import { isValidHost } from "../exa/hosts.js";
import { isValidId } from "../exa/ids.js";

/** At most this many characters of one input string appear in an error, */
const ECHO_CHARS = 60;
/** and at most this many in all, however many values are at fault. */
const ECHO_BUDGET = 200;

/** One input string, quoted and cut, as an error may show it. */
export function echo(value: string): string {
  const head = [...value.slice(0, ECHO_CHARS + 1)];
  return JSON.stringify(head.length > ECHO_CHARS ? `${head.slice(0, ECHO_CHARS).join("")}…` : value);
}

/** Values at fault, each rendered (quoted by default), until the echo budget is spent; the rest are counted. */
function echoList<T>(values: readonly T[], render: (value: T) => string = (value) => echo(String(value))): string {
  const shown: string[] = [];
  let spent = 0;
  for (const value of values) {
    const text = render(value);
    if (shown.length && spent + text.length > ECHO_BUDGET) break;
    shown.push(text);
    spent += text.length;
  }
  const rest = values.length - shown.length;
  return rest ? `${shown.join(", ")} and ${rest} more` : shown.join(", ");
}

/**
 * A strict object whose refusal of unknown fields names the fields that do exist. (Arguments that are no object
 * never reach it: the SDK refuses such a request with the protocol's invalid-params error.)
 */
export function strictInput<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape).join(", ") || "none";
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? unknownFieldsText(issue.keys, known) : undefined),
  });
}

export type ParsedInput<S extends z.ZodType> =
  | { success: true; data: z.output<S> }
  | { success: false; issues: string[] };

/** A tool's arguments through its schema, with every message in our words (see `inputErrors`). */
export function parseToolInput<S extends z.ZodType>(schema: S, args: unknown): ParsedInput<S> {
  // A strict object refuses an unknown "__proto__" of its own, but a record drops one without a word (it would
  // replace the prototype of the object zod builds), so a nested one is refused here.
  const proto = nestedProtoKey(args);
  if (proto) return { success: false, issues: [`${proto.join(".")} key "__proto__" is not allowed`] };
  const parsed = schema.safeParse(args, { error: inputErrors });
  return parsed.success
    ? { success: true, data: parsed.data }
    : { success: false, issues: parsed.error.issues.map((issue) => issue.message) };
}

/** Where an own "__proto__" key sits below the top level of plain JSON data, if anywhere. */
function nestedProtoKey(value: unknown, path: PropertyKey[] = []): PropertyKey[] | undefined {
  if (!value || typeof value !== "object" || path.length > 8) return undefined;
  if (path.length && !Array.isArray(value) && Object.hasOwn(value, "__proto__")) return path;
  for (const [key, child] of Object.entries(value)) {
    const found = nestedProtoKey(child, [...path, Array.isArray(value) ? Number(key) : key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * zod's own issues (a missing field, a wrong type) in our words, naming the field; given at parse time so it
 * applies below every tool. A refinement that cannot know its field's name (one piece serves `events` and
 * `types`) leaves its message to this map through `aboutField`.
 */
const inputErrors: z.core.$ZodErrorMap = (issue) => {
  const field = issue.path?.length ? issue.path.map(String).join(".") : "arguments";
  if (issue.code === "custom" && typeof issue.params?.aboutField === "function") {
    return (issue.params.aboutField as (field: string) => string)(field);
  }
  if (issue.code === "invalid_type") {
    if (issue.input === undefined) return `${field} is required`;
    if (issue.expected === "int" && typeof issue.input === "number") return `${field} must be a whole number`;
    return `${field} must be ${EXPECTED[issue.expected] ?? `a ${issue.expected}`}, not ${kindOf(issue.input)}`;
  }
  if (issue.code === "too_big" || issue.code === "too_small") return `${field} must be ${boundText(issue)}`;
  if (issue.code === "invalid_value") {
    return `${field} must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
  }
  if (issue.code === "unrecognized_keys") {
    const shape = issue.inst instanceof z.ZodObject ? Object.keys(issue.inst.shape).join(", ") : undefined;
    return unknownFieldsText(issue.keys, shape || "none");
  }
  const english = z.config().localeError?.(issue);
  return `${field}: ${typeof english === "string" ? english : (english?.message ?? "is not valid")}`;
};

function unknownFieldsText(keys: readonly string[], known: string): string {
  return `Unknown field${keys.length > 1 ? "s" : ""} ${echoList(keys)}. Valid fields: ${known}.`;
}

function boundText(issue: z.core.$ZodRawIssue<z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall>): string {
  const big = issue.code === "too_big";
  const bound = String(big ? issue.maximum : issue.minimum);
  const unit = issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : "";
  if (issue.inclusive === false && !unit) return `${big ? "less" : "greater"} than ${bound}`;
  return `${big ? "at most" : "at least"} ${bound}${unit}`;
}

const EXPECTED: Readonly<Record<string, string>> = {
  record: "an object of string values",
  object: "an object",
  array: "an array",
  int: "a whole number",
};

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Refinement params whose message is rendered with the field's name, whatever the tool calls the field. */
function aboutField(render: (field: string) => string) {
  return { params: { aboutField: render } };
}

const idMessage = "letters, digits, '_', '-', ':' and '.' only, as returned by list_webhooks";

// Ids are checked with a refinement, not `regex`, so the pattern stays out of every tool's JSON Schema.
export const webhookId = z
  .string()
  .refine(isValidId, `webhookId must be an Exa webhook id (${idMessage})`)
  .describe("Webhook id (from list_webhooks).");

export const eventId = z
  .string()
  .refine(isValidId, "eventId must be an Exa event id, as returned by list_events or an attempt's eventId")
  .describe("Event id (an attempt's eventId, or from list_events).");

// Models send "true" and "25" as strings. Every tool accepts those where the meaning is unambiguous (exactly
// "true"/"false"; a decimal number), and refuses the rest with the field's own message: never a silent guess.
const NUMERIC_TEXT = /^\s*-?\d+(\.\d+)?\s*$/;

/** A boolean field that also takes the strings "true" and "false". */
export const booleanLike = z.preprocess(
  (value) => (value === "true" ? true : value === "false" ? false : value),
  z.boolean(),
);

/** A number field that also takes a number written as a string ("25"); its bounds then apply as to 25. */
export function numberLike(schema: z.ZodNumber) {
  return z.preprocess(
    (value) => (typeof value === "string" && NUMERIC_TEXT.test(value) ? Number(value) : value),
    schema,
  );
}

export const limit = numberLike(
  z
    .number()
    .int("limit must be a whole number")
    .min(1, "limit must be between 1 and 200")
    .max(200, "limit must be between 1 and 200"),
).describe("Default 25.");

export const cursor = z
  .string()
  .min(1, "cursor must not be empty: omit it for the first page")
  // Length caps are refinements so they guard without adding to every schema a model reads.
  .refine((value) => value.length <= 4096, "cursor is too long (4096 characters at most)")
  .describe("nextCursor of the previous page.");

/** Event type names longer than this are refused before any "did you mean" (the longest valid one has 23). */
const EVENT_TYPE_MAX_CHARS = 100;

/** One message for every wrong name at once, a few named (with "did you mean" where a valid type is close). */
function eventTypeMessage(wrong: readonly string[]): string {
  const named = echoList(wrong, (input) => {
    const closest = closestEventType(input);
    return closest ? `${echo(input)} (did you mean "${closest}"?)` : echo(input);
  });
  const verb = wrong.length === 1 ? "is not an Exa event type" : "are not Exa event types";
  return `${named} ${verb}. Valid types: ${EVENT_TYPES.join(", ")}.`;
}

function tooLongEventType(field: string, length: number): string {
  return `${field} is ${length} characters long: event type names are at most ${EVENT_TYPE_MAX_CHARS} characters`;
}

// The enum lives in the JSON Schema (models see the valid values) while validation happens in a refinement,
// so several wrong names produce one message instead of one long list per name.
const eventTypeName = z.string().meta({ enum: [...EVENT_TYPES] });

// Filters carry no enum (it would repeat 19 names in every tool's schema); a wrong name gets the list back.
export const eventType = z
  .string()
  .superRefine((type, context) => {
    if (type.length > EVENT_TYPE_MAX_CHARS) {
      context.addIssue({ code: "custom", ...aboutField((field) => tooLongEventType(field, type.length)) });
    } else if (!isEventType(type)) {
      context.addIssue({ code: "custom", ...aboutField((field) => `${field}: ${eventTypeMessage([type])}`) });
    }
  })
  .describe("Event type, e.g. webset.item.created.");

/** A list of event types: 1-19, unique, every wrong name reported in one message. */
function eventTypeListOf(item: z.ZodString) {
  return z.array(item).superRefine((types, context) => {
    // Checked in the refinement (not min/max) so the bounds cost no schema bytes; the description states them.
    if (types.length === 0) {
      context.addIssue({ code: "custom", ...aboutField((field) => `${field} needs at least one event type`) });
      return;
    }
    const tooLong = types.findIndex((type) => type.length > EVENT_TYPE_MAX_CHARS);
    if (tooLong >= 0) {
      const others = types.filter((type) => type.length > EVENT_TYPE_MAX_CHARS).length - 1;
      const length = types[tooLong]?.length ?? 0;
      const more = others ? ` (and ${others} more names are too long)` : "";
      context.addIssue({
        code: "custom",
        path: [tooLong],
        ...aboutField((field) => `${tooLongEventType(field, length)}${more}`),
      });
      return;
    }
    const wrong = types.filter((type) => !isEventType(type));
    if (wrong.length) {
      context.addIssue({ code: "custom", ...aboutField((field) => `${field}: ${eventTypeMessage(wrong)}`) });
    } else if (new Set(types).size !== types.length) {
      context.addIssue({ code: "custom", ...aboutField((field) => `${field} must not repeat a type`) });
    }
  });
}

/** With the enum in its JSON Schema: for create_webhook, where a model chooses types from scratch. */
export const eventTypes = eventTypeListOf(eventTypeName).describe("Event types to deliver (1-19, unique).");

/** The same validation without the enum, where repeating 19 names would only cost context. */
export const eventTypeList = eventTypeListOf(z.string());

export const webhookUrl = z
  .string()
  .refine((value) => value.length <= 2048, "url is too long (2048 characters at most)")
  .refine(isHttpUrl, "url must be an absolute http(s) URL, e.g. https://example.com/webhooks/exa")
  .refine(
    (value) => !isHttpUrl(value) || isValidHost(new URL(value).hostname),
    "url's host is not a valid DNS name, IPv4 or bracketed IPv6 address (e.g. hooks.example.com, 203.0.113.7, [2001:db8::1])",
  )
  .describe("Public https URL that receives the events.");

export const metadata = z
  .record(z.string(), z.string())
  .refine(
    (values) => Object.values(values).every((value) => value.length <= 1000),
    "metadata values must be at most 1000 characters",
  )
  .describe("Your string labels (values <= 1000 chars).");

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** `since` of the tools that scan: a bounded string, parsed by parseSince in the handler (it needs "now"). */
export const sinceInput = z
  .string()
  .refine((value) => value.length <= 64, "since is too long: give an ISO timestamp or a span like 24h");

export const isoTimestamp = z.string().refine(
  (value) => /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)),
  aboutField((field) => `${field} must be an ISO 8601 timestamp, e.g. 2026-11-21T00:00:00Z`),
);
