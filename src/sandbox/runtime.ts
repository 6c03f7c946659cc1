// `--sandbox`: the MCP server talks to an in-process emulator over real HTTP on 127.0.0.1, seeded with the
// demo account. The client code path is the production one; only the base URL and key differ.
import type { SandboxHandle } from "./handle.js";
import { launchSandbox } from "./launch.js";

/** The emulator accepts any non-empty key; this one just makes requests look like a real client's. */
export const SANDBOX_API_KEY = "sandbox-key";

export interface RunningSandbox {
  /** Origin of the emulator, e.g. http://127.0.0.1:54321 (the client appends /websets/v0/...). */
  baseUrl: string;
  apiKey: string;
  handle: SandboxHandle;
  close(): Promise<void>;
}

export async function startSandbox(): Promise<RunningSandbox> {
  const sandbox = await launchSandbox({ seed: "demo", seedInBackground: true });
  return { baseUrl: sandbox.emulator.baseUrl, apiKey: SANDBOX_API_KEY, handle: sandbox.handle, close: sandbox.close };
}
