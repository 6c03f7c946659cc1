// A setup file (vitest.config.ts): each test file gets its own XDG_STATE_HOME, and the bins it spawns are given
// it (see `PATH: …, XDG_STATE_HOME: …` beside every spawn), so no test reads or writes the user's real state
// file (~/.local/state/exa-webhooks-mcp/state.db) and no two test files share a ledger or a scan's memory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const stateHome = mkdtempSync(join(tmpdir(), "exa-webhooks-state-"));
process.env.XDG_STATE_HOME = stateHome;
afterAll(() => rmSync(stateHome, { recursive: true, force: true }));
