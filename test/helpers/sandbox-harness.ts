// A launched sandbox with a real MCP client on it (in memory, --sandbox flags, the sandbox handle as the
// tools' context), shared by the tests that drive sandbox tools.
import { type LaunchedSandbox, type LaunchSandboxOptions, launchSandbox } from "../../src/sandbox/launch.js";
import { type Harness, startHarness } from "./harness.js";

export interface SandboxHarness {
  sandbox: LaunchedSandbox;
  harness: Harness;
  close(): Promise<void>;
}

export async function startSandboxHarness(options: LaunchSandboxOptions): Promise<SandboxHarness> {
  const sandbox = await launchSandbox(options);
  const harness = await startHarness({
    emulator: sandbox.emulator,
    flags: { sandbox: true },
    dependencies: { sandbox: sandbox.handle },
  });
  return {
    sandbox,
    harness,
    close: async () => {
      await harness.close();
      await sandbox.close();
    },
  };
}
