// Child processes for the bench: run a command with a time limit, read a process's peak memory, stop it.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/**
 * Peak resident set (VmHWM) of a live process in MB, from /proc. Read it just before the process exits:
 * the kernel keeps the high-water mark, so no polling can miss a short spike. Undefined off Linux.
 */
export function peakRssMb(pid = process.pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU time a live process has used so far, in ms: every thread's time on a CPU (/proc/<pid>/task/<tid>/schedstat,
 * nanoseconds). On a shared machine it drifts far less with other load than wall time does. Undefined off Linux.
 */
export function cpuMs(pid) {
  try {
    let nanoseconds = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      nanoseconds += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    }
    return nanoseconds / 1e6;
  } catch {
    return undefined;
  }
}

/** Runs a command to completion; rejects on a non-zero exit or after timeoutMs (the child is killed). */
export function run(command, args, { cwd, timeoutMs = 120_000, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else {
        const why = signal ? `killed by ${signal} (limit ${timeoutMs} ms)` : `exit ${code}`;
        reject(new Error(`${command} ${args.join(" ")}: ${why}\n${lastLines(stderr)}`));
      }
    });
  });
}

/** Ends a child we started: SIGTERM, then SIGKILL if it has not exited after graceMs. */
/**
 * Stops a stdio server the way the MCP spec has a client do it: close its stdin, give it time to exit on its own,
 * then SIGTERM, then SIGKILL. Exiting on its own matters beyond manners: Node writes its compile cache at exit,
 * and a server killed by a signal it does not handle never writes one.
 */
export function stop(child, graceMs = 2000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const term = setTimeout(() => child.kill("SIGTERM"), graceMs / 2);
    const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(term);
      clearTimeout(kill);
      resolve();
    });
    child.stdin?.end();
  });
}

export function lastLines(text, count = 5) {
  return text.trim().split("\n").slice(-count).join("\n");
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
