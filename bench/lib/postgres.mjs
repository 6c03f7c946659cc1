// PostgreSQL for a bench: EXA_WEBHOOKS_TEST_POSTGRES when set, else a throwaway cluster of scripts/postgres.sh for
// the run, from firstPort (below Linux's ephemeral range; postgres.sh moves past a port that is taken).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./paths.mjs";

const SCRIPT = join(ROOT, "scripts", "postgres.sh");

/** { url, stop() }: url undefined (its row says n/a) when none is given and none starts. */
export function benchPostgres(firstPort, log, bench) {
  const given = process.env.EXA_WEBHOOKS_TEST_POSTGRES;
  if (given) return { url: given, stop() {} };
  try {
    const url = execFileSync(SCRIPT, ["start", String(firstPort)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
    return { url, stop: () => execFileSync(SCRIPT, ["stop", new URL(url).port]) };
  } catch (error) {
    log(`${bench}: no PostgreSQL started (${error.stderr?.trim() || error}); its row says n/a`);
    return { url: undefined, stop() {} };
  }
}
