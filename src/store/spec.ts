// Which store to use: --store / EXA_WEBHOOKS_STORE (a path, a postgres:// URL, or "memory"), else the sandbox's
// memory, else the default file under the XDG state directory. Pure: no file is touched here.
import type { StoreSpec } from "./types.js";

// getBuiltinModule, not ESM imports: every start resolves the store, and an ESM import of a builtin builds a
// facade of all its exports (a few ms of each start).
const { homedir } = process.getBuiltinModule("node:os");
const { isAbsolute, join, resolve } = process.getBuiltinModule("node:path");

export interface StoreChoice {
  /** --store, when given. */
  flag?: string | undefined;
  /** process.env (EXA_WEBHOOKS_STORE, XDG_STATE_HOME). */
  env: NodeJS.ProcessEnv;
  sandbox: boolean;
  /** For tests; defaults to os.homedir(). */
  home?: string;
}

export function resolveStoreSpec({ flag, env, sandbox, home = homedir() }: StoreChoice): StoreSpec {
  const chosen = flag?.trim() || env.EXA_WEBHOOKS_STORE?.trim();
  if (chosen) return specFrom(chosen);
  // The sandbox's data is invented: keep it out of the real state file.
  if (sandbox) return { engine: "memory" };
  return { engine: "sqlite", path: defaultStorePath(env, home) };
}

export function defaultStorePath(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  const xdg = env.XDG_STATE_HOME?.trim();
  // The XDG spec says a relative XDG_STATE_HOME is invalid and to be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, ".local", "state");
  return join(base, "exa-webhooks-mcp", "state.db");
}

function specFrom(chosen: string): StoreSpec {
  if (chosen === "memory" || chosen === ":memory:") return { engine: "memory" };
  if (/^postgres(ql)?:\/\//i.test(chosen)) return { engine: "postgres", url: chosen };
  return { engine: "sqlite", path: resolve(chosen) };
}

/** A Postgres URL fit to print: the password replaced. */
export function redactedLocation(spec: StoreSpec): string {
  if (spec.engine === "sqlite") return spec.path;
  if (spec.engine === "memory") return "memory";
  try {
    const url = new URL(spec.url);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "postgres://(unparsable URL)";
  }
}
