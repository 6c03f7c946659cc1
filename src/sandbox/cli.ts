// `exa-webhooks-mcp emulator [--port 8787] [--seed demo|empty]`: the emulator on its own, for testing your
// code with exa-js or curl. The first stdout line is the base URL alone, so scripts can read it.
import { CONTROL_EVENTS_PATH } from "./control.js";
import { launchSandbox, type SandboxSeed } from "./launch.js";

export interface EmulatorCommandIo {
  /** Resolves when the emulator should stop; default: the first SIGINT or SIGTERM. */
  stop?: Promise<void>;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/** Starts the emulator, prints how to reach it, and runs until stopped; then closes everything. */
export async function runEmulatorCommand(port: number, seed: SandboxSeed, io: EmulatorCommandIo = {}): Promise<void> {
  const stdout = io.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = io.stderr ?? ((text: string) => process.stderr.write(text));
  const sandbox = await launchSandbox({ seed, port });
  const { baseUrl } = sandbox.emulator;
  stdout(`${usageLines(baseUrl).join("\n")}\n`);
  const report = sandbox.seedReport;
  stderr(
    report
      ? `exa-emulator: demo account seeded with ${report.webhooks} webhooks, ${report.events} events and ${report.attempts} delivery attempts in ${report.wallMs} ms. Ctrl+C to stop.\n`
      : "exa-emulator: empty account. Ctrl+C to stop.\n",
  );
  await (io.stop ?? nextTerminationSignal());
  await sandbox.close();
}

export function usageLines(baseUrl: string): string[] {
  return [
    baseUrl,
    // exa-js appends /websets/v0/... to the origin it is given, exactly as with the real API; any key works.
    `exa-js: const exa = new Exa("any-key", "${baseUrl}"); await exa.websets.webhooks.list();`,
    `emit an event: curl -X POST ${baseUrl}${CONTROL_EVENTS_PATH} -H "x-api-key: any-key" -H "content-type: application/json" -d '{"type":"webset.item.created"}'`,
  ];
}

function nextTerminationSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
