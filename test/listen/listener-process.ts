// The built bin's `listen` as a child process a test drives: its JSON lines parsed as they come, waits on
// them, Ctrl+C (SIGINT) or SIGKILL, and the exit code. Every line is checked for the test API key.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { expect } from "vitest";
import { BIN_PATH, expectNoSecretLeak, TEST_API_KEY } from "../helpers/harness.js";
import { UNTIL_TEST_TIMEOUT, within } from "../helpers/wait.js";

export interface ListenLine {
  kind: string;
  [field: string]: unknown;
}

export interface ListenerProcess {
  child: ChildProcess;
  /** stdout's JSON lines so far (none with --output compact). */
  lines: ListenLine[];
  stdout(): string;
  stderr(): string;
  /** The ids of results (a POST answered or failed), in order. */
  results(): ListenLine[];
  /** Waits until `count` lines of this kind were printed (and, for results, match `where`). */
  waitFor(kind: string, count?: number, where?: (line: ListenLine) => boolean): Promise<ListenLine[]>;
  /** Waits for the process to end by itself. */
  exit(): Promise<number | null>;
  /** Ctrl+C, then the exit code. */
  interrupt(): Promise<number | null>;
  kill(): Promise<void>;
}

export function startListener(args: string[], env: Record<string, string>): ListenerProcess {
  const child = spawn(process.execPath, [BIN_PATH, "listen", ...args], {
    env: { PATH: process.env.PATH ?? "", XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const lines: ListenLine[] = [];
  let read = 0;
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    const complete = stdout.split("\n").slice(0, -1);
    // --output compact prints text: only JSON lines are parsed (tests of compact read stdout()).
    for (const text of complete.slice(read)) if (text.startsWith("{")) lines.push(JSON.parse(text) as ListenLine);
    read = complete.length;
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const closed = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const exit = async () => {
    const code = await within(closed, 25_000, () => `listen did not exit; stderr: ${stderr}`);
    expectNoSecretLeak(stdout + stderr);
    return code;
  };
  const ofKind = (kind: string, where?: (line: ListenLine) => boolean) =>
    lines.filter((line) => line.kind === kind && (!where || where(line)));
  return {
    child,
    lines,
    stdout: () => stdout,
    stderr: () => stderr,
    results: () => ofKind("result"),
    async waitFor(kind, count = 1, where) {
      await expect
        .poll(() => ofKind(kind, where).length, {
          ...UNTIL_TEST_TIMEOUT,
          message: `${count} "${kind}" lines; got:\n${stdout}\nstderr: ${stderr}`,
        })
        .toBeGreaterThanOrEqual(count);
      return ofKind(kind, where);
    },
    exit,
    async interrupt() {
      child.kill("SIGINT");
      return exit();
    },
    async kill() {
      child.kill("SIGKILL");
      await closed;
    },
  };
}

/** A listener's environment for tests: the emulator as Exa, a SQLite store file, polls every 100 ms, quick retries. */
export function listenEnv(baseUrl: string, store: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    EXA_API_KEY: TEST_API_KEY,
    EXA_BASE_URL: baseUrl,
    EXA_LISTEN_POLL_MS: "100",
    EXA_RETRY_BASE_MS: "20",
    EXA_WEBHOOKS_STORE: store,
    ...extra,
  };
}

/** A port nothing listens on right now (a receiver can be started there later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
