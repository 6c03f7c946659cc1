// Where a backfill starts: `--since 2h|ISO`, measured against Exa's clock (the Date of its answer), and cut
// at the 60 days Exa keeps events, saying which part it has already deleted.

import { parseSince } from "../diagnose/since.js";
import { EVENT_RETENTION_MS } from "../exa/retention.js";

export interface BackfillStart {
  /** ISO instant the listener starts from. */
  from: string;
  /** Set when --since reached past retention: the span Exa no longer has, for the banner. */
  expired?: { from: string; until: string };
}

/** Throws the ToolInputError of parseSince for text it does not understand. */
export function backfillStart(since: string, exaNow: Date): BackfillStart {
  const asked = parseSince(since, exaNow);
  const oldest = new Date(exaNow.getTime() - EVENT_RETENTION_MS);
  if (asked >= oldest) return { from: asked.toISOString() };
  return {
    from: oldest.toISOString(),
    expired: { from: asked.toISOString(), until: oldest.toISOString() },
  };
}
