// The watch through the built bin: the emulator as its own process (the real HTTP peer, driven through its
// control routes), the watch command spawned with its JSON lines collected, and helpers to wait on them.
import { type ChildProcess, spawn } from "node:child_process";
import type { Emulator } from "../../src/sandbox/emulator.js";
import { BIN_PATH, builtBin, type RunningBin, startBin } from "../helpers/harness.js";

export const EMULATOR_KEY = "exa-test-key-7f3a9c2e51d84b06";
const HOUR = 3_600_000;

export async function startEmulatorBin(): Promise<RunningBin> {
  return startBin(builtBin(["emulator", "--port", "0"]));
}

/** POST to one of the emulator's control routes (/_sandbox/receivers, /_sandbox/events). */
export async function control(baseUrl: string, path: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "x-api-key": EMULATOR_KEY, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

/** The demo webhook named `name`, from the emulator's API. */
export async function webhookNamed(baseUrl: string, name: string): Promise<string> {
  const response = await fetch(`${baseUrl}/websets/v0/webhooks?limit=100`, { headers: { "x-api-key": EMULATOR_KEY } });
  const page = (await response.json()) as { data: { id: string; metadata?: { name?: string } }[] };
  const found = page.data.find((webhook) => webhook.metadata?.name === name);
  if (!found) throw new Error(`no demo webhook ${name}`);
  return found.id;
}

export interface WatchProcess {
  child: ChildProcess;
  /** Every JSON line printed so far, parsed. */
  lines: Record<string, unknown>[];
  stdout(): string;
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `exa-webhooks-mcp watch …` against `baseUrl`, JSON lines on stdout (not a TTY). */
export function spawnWatch(args: string[], env: Record<string, string>): WatchProcess {
  const child = spawn(process.execPath, [BIN_PATH, "watch", ...args], {
    env: {
      PATH: process.env.PATH ?? "",
      XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "",
      EXA_API_KEY: EMULATOR_KEY,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const lines: Record<string, unknown>[] = [];
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    const complete = stdout.split("\n");
    const parsed = complete.slice(0, -1).filter(Boolean);
    for (const line of parsed.slice(lines.length)) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return {
    child,
    lines,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const closed = new Promise((resolve) => child.once("close", resolve));
      child.kill(signal);
      await closed;
    },
  };
}

export const transitionsOf = (lines: readonly Record<string, unknown>[], webhookId?: string) =>
  lines.filter((line) => line.type === "transition" && (webhookId === undefined || line.webhookId === webhookId));

export const ticksOf = (lines: readonly Record<string, unknown>[]) => lines.filter((line) => line.type === "tick");

/** A webhook whose newest attempts failed `failures` times after a success an hour ago. */
export function failingWebhook(target: Emulator, name: string, failures: number): string {
  const webhook = target.store.createWebhook({
    url: "https://receiver.example.com/hook",
    events: ["webset.created"],
    metadata: { name },
    createdAt: Date.now() - 10 * HOUR,
  });
  target.store.addAttempt({
    webhookId: webhook.id,
    eventType: "webset.created",
    successful: true,
    attemptedAt: Date.now() - HOUR,
  });
  for (let n = 0; n < failures; n++)
    target.store.addAttempt({
      webhookId: webhook.id,
      eventType: "webset.created",
      successful: false,
      attemptedAt: Date.now() - HOUR + (n + 1) * 60_000,
    });
  return webhook.id;
}
