// A PostgreSQL cluster of one test file's own (scripts/postgres.sh), for tests that stop or restart it, which the
// shared cluster of the run cannot take. Its port sits below Linux's ephemeral range (32768-60999): a port in
// that range can be held by any outgoing connection, which once failed a run with "could not start server".
// A port that is taken anyway (another run's cluster, another service) moves the cluster on: postgres.sh starts
// it on the next free one and its URL names the port.
import { execFileSync } from "node:child_process";

const SCRIPT = new URL("../../scripts/postgres.sh", import.meta.url).pathname;

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
      const url = run("start", port ?? base + (process.pid % 200) * 5);
      port = Number(new URL(url).port);
      return url;
    },
    restart: () => run("restart", chosen()),
    pause: () => void run("pause", chosen()),
    stop() {
      if (port !== undefined) run("stop", port);
    },
  };
}
