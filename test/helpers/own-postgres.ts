// A PostgreSQL cluster of one test file's own (scripts/postgres.sh), for tests that stop or restart it, which the
// shared cluster of the run cannot take. Its port sits below Linux's ephemeral range (32768-60999): a port in
// that range can be held by any outgoing connection, which once failed a run with "could not start server".
// A port that is taken anyway (another run's cluster, another service) moves the cluster to the next one.
import { execFileSync } from "node:child_process";

const SCRIPT = new URL("../../scripts/postgres.sh", import.meta.url).pathname;
const PORTS_TRIED = 5;

export interface OwnPostgres {
  /** Starts it (the first time on a free port) and returns its URL. */
  start(): string;
  restart(): string;
  /** Stops the server and keeps its data, to start it again. */
  pause(): void;
  /** Stops it and deletes its data. */
  stop(): void;
}

/** `base` keeps files apart (one range of 1,000 ports each); the pid keeps concurrent runs apart. */
export function ownPostgres(base: number): OwnPostgres {
  const run = (action: string, port: number) =>
    execFileSync(SCRIPT, [action, String(port)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  let port: number | undefined;
  const chosen = () => {
    if (port === undefined) throw new Error("ownPostgres: start() first");
    return port;
  };
  return {
    start() {
      if (port !== undefined) return run("start", port);
      const first = base + (process.pid % 200) * PORTS_TRIED;
      const failures: string[] = [];
      for (let candidate = first; candidate < first + PORTS_TRIED; candidate++) {
        try {
          const url = run("start", candidate);
          port = candidate;
          return url;
        } catch (error) {
          failures.push(`port ${candidate}: ${(error as { stderr?: string }).stderr?.trim() || String(error)}`);
          run("stop", candidate);
        }
      }
      throw new Error(`PostgreSQL did not start on ${PORTS_TRIED} ports:\n${failures.join("\n")}`);
    },
    restart: () => run("restart", chosen()),
    pause: () => void run("pause", chosen()),
    stop() {
      if (port !== undefined) run("stop", port);
    },
  };
}
