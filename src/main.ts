// The program (dist/main.js, loaded by the published bin src/bin.ts → dist/index.js): parse flags and env into
// a config, then connect a transport (or run the emulator / one tool call). Everything else lives behind
// createServer; heavy modules load only in the modes that need them.
import { parseCommand, type ServeFlags, USAGE, UsageError } from "./cli/args.js";
import { type Config, type HostingConfig, loadConfig, loadHostingConfig } from "./config.js";
import { ConfigError } from "./errors.js";
import type { ServerDependencies } from "./server.js";
import { createStoreAccess } from "./store/access.js";
import { emptySelectionText, TOOL_NAMES } from "./tools/catalog.js";
import { VERSION } from "./version.js";
import type { WatchSettings } from "./watch/command.js";

async function main(): Promise<number | undefined> {
  const command = parseCommand(process.argv.slice(2));
  switch (command.mode) {
    case "help":
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case "version":
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case "emulator": {
      const { runEmulatorCommand } = await import("./sandbox/launch.js");
      await runEmulatorCommand(command.port, command.seed);
      return undefined;
    }
    case "listen": {
      const [{ parseListenFlags }, { runListenCommand }] = await Promise.all([
        import("./cli/listen-args.js"),
        import("./cli/listen.js"),
      ]);
      const flags = parseListenFlags(command.listen, (message) => new UsageError(message));
      return runListenCommand(flags, { env: process.env, stdout: process.stdout, stderr: process.stderr });
    }
    case "store": {
      const { runStoreCommand } = await import("./store/command.js");
      const { resolveStoreSpec } = await import("./store/spec.js");
      const spec = resolveStoreSpec({ flag: command.store, env: process.env, sandbox: false });
      return runStoreCommand(spec, command.pruneDays, {
        write: (t) => process.stdout.write(t),
        isTTY: process.stdout.isTTY === true,
      });
    }
    case "watch": {
      const { checkWatch, launchWatch } = await import("./watch/command.js");
      const configured = configure(command.flags);
      const settings = checkWatch(configured.config, command.watch, process.env);
      const { config, close } = await prepare(configured);
      const watch = await launchWatch(config, settings, {
        write: (line) => process.stdout.write(`${line}\n`),
        warn: warnLine,
        isTTY: process.stdout.isTTY === true,
      });
      exitOn(["SIGINT", "SIGTERM"], async () => {
        await watch.stop();
        await close();
      });
      return undefined;
    }
    case "call": {
      const { readToolCall, runToolOnce } = await import("./cli/call.js");
      const configured = configure(command.flags);
      // Refused before the sandbox seeds its demo account (a second or more), not after.
      const call = readToolCall(configured.config, command);
      const { config, dependencies, close } = await prepare(configured);
      try {
        return await runToolOnce(config, dependencies, call);
      } finally {
        await close();
      }
    }
    case "serve": {
      const configured = configure(command.flags);
      const watchSettings = await checkWatchFlags(command.flags, configured);
      const { config, dependencies, close, hosting } = await withWatch(watchSettings, await prepare(configured));
      if (hosting) {
        const { serveHttp } = await import("./transports/http.js");
        // A port in use fails here, after the sandbox's servers started: close them, or they keep the process alive.
        const http = await serveHttp(config, dependencies, hosting).catch(async (error: unknown) => {
          await close();
          throw error;
        });
        exitOn(["SIGINT", "SIGTERM"], async () => {
          await http.close();
          await close();
        });
        if (hosting.remoteCallers) {
          const { hostname } = await import("node:os");
          warnLine(
            `listening on ${hosting.host}; other machines reach it at http://${hostname()}:${new URL(http.url).port}/mcp (or this machine's address)${config.sandbox ? ". The sandbox delivers only to its own demo receivers" : ""}.`,
          );
        }
        if (hosting.requestKeys && !config.apiKey) {
          warnLine(
            "EXA_API_KEY is not set: each request must bring its own key in the X-Exa-Api-Key header; tools tell a request without one how to send it.",
          );
        }
        return undefined;
      }
      const { serveStdioConnection } = await import("./transports/stdio.js");
      let closing = false;
      // The client closing stdin is the end of the session: stop the sandbox's servers too, or they keep
      // the process alive after the client has gone. Listened to before the transport does, so the transport
      // closing after it is no failure.
      const shutdown = async () => {
        closing = true;
        await connection.close();
        await close();
      };
      process.stdin.once("end", () => void shutdown().finally(() => process.exit(0)));
      const fail = (reason: string) => {
        if (closing) return;
        process.stderr.write(`exa-webhooks-mcp: stdio transport failed (${firstLineOf(reason)}); exiting.\n`);
        void shutdown().finally(() => process.exit(1));
      };
      // A transport that gives up (a line over its buffer) closes right after its error: report the two as one
      // line. An error it survives (one message that is not JSON-RPC) is reported on its own, once the turn is
      // over. (The SDK skips a line that is not JSON at all without a word.)
      let lastError: Error | undefined;
      const connection = serveStdioConnection(config, dependencies, {
        stdin: process.stdin,
        stdout: process.stdout,
        onerror: (error) => {
          lastError = error;
          setImmediate(() => {
            if (lastError !== error || closing) return;
            lastError = undefined;
            process.stderr.write(`exa-webhooks-mcp: ignored a message on stdin: ${firstLineOf(error.message)}\n`);
          });
        },
        onclose: () => fail(lastError?.message ?? "stdin was closed by the server"),
      });
      process.stdin.once("error", (error) => fail(error.message));
      if (!config.apiKey && !config.sandbox) {
        process.stderr.write("exa-webhooks-mcp: EXA_API_KEY is not set; tools will explain how to set it.\n");
      }
      exitOn(["SIGINT", "SIGTERM"], shutdown);
      return undefined;
    }
  }
}

interface Configured {
  config: Config;
  /** With --http: who may call, where, and whose key a request uses. */
  hosting: HostingConfig | undefined;
}

interface Prepared extends Configured {
  dependencies: ServerDependencies;
  close: () => Promise<void>;
}

/** Builds the config from the flags and env: every usage and config error, before anything starts. */
function configure(flags: ServeFlags): Configured {
  const unknown = flags.tools?.filter((name) => !TOOL_NAMES.includes(name)) ?? [];
  if (unknown.length)
    throw new UsageError(`Unknown tool in --tools: ${unknown.join(", ")}. Tools: ${TOOL_NAMES.join(", ")}.`);
  const config = loadConfig(process.env, flags, warnLine);
  const empty = emptySelectionText(config);
  if (empty) throw new UsageError(empty);
  const hosting = flags.http ? loadHostingConfig(process.env, flags, config, warnLine) : undefined;
  return { config: hosting?.remoteCallers ? { ...config, remoteCallers: true } : config, hosting };
}

/**
 * The store handle (opened by the first tool call that needs it, never here), and with --sandbox the in-process
 * emulator, the config pointed at it.
 */
async function prepare({ config, hosting }: Configured): Promise<Prepared> {
  const store = createStoreAccess(config.store ?? { engine: "memory" });
  if (!config.sandbox) return { config, dependencies: { store }, hosting, close: () => store.close() };
  const { startSandbox } = await import("./sandbox/launch.js");
  const sandbox = await startSandbox({ demoReceiversOnly: hosting?.remoteCallers ?? false });
  return {
    config: { ...config, baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey },
    dependencies: { store, sandbox: sandbox.handle },
    hosting,
    close: async () => {
      await sandbox.close();
      await store.close();
    },
  };
}

/** --watch: its settings, refused before anything starts. */
async function checkWatchFlags(flags: ServeFlags, { config }: Configured): Promise<WatchSettings | undefined> {
  if (!flags.watch) return undefined;
  const { checkWatch } = await import("./watch/command.js");
  return checkWatch(config, flags.watch, process.env);
}

/** --watch: the watch loop beside the server, its lines on stderr (stdout is JSON-RPC), its feed to the server. */
async function withWatch(settings: WatchSettings | undefined, prepared: Prepared): Promise<Prepared> {
  if (!settings) return prepared;
  const { launchWatch } = await import("./watch/command.js");
  const watch = await launchWatch(prepared.config, settings, {
    write: (line) => process.stderr.write(`exa-webhooks-mcp watch: ${line}\n`),
    warn: warnLine,
    isTTY: true,
  });
  return {
    ...prepared,
    dependencies: { ...prepared.dependencies, watch: { feed: watch.feed, channel: settings.channel } },
    close: async () => {
      await watch.stop();
      await prepared.close();
    },
  };
}

function warnLine(message: string): void {
  process.stderr.write(`exa-webhooks-mcp: ${message}\n`);
}

/** The first line of a message, cut: stderr gets one line per event, never a dump. (Not untrusted text: ours.) */
function firstLineOf(message: string): string {
  const first = message.split("\n")[0] ?? "";
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
}

/** Runs `cleanup` once on the first of these signals, then exits. */
function exitOn(signals: NodeJS.Signals[], cleanup: () => Promise<void>): void {
  let exiting = false;
  for (const signal of signals) {
    process.once(signal, () => {
      if (exiting) return;
      exiting = true;
      void cleanup()
        .catch(() => {})
        .finally(() => process.exit(0));
    });
  }
}

main().then(
  (exitCode) => {
    if (exitCode !== undefined) process.exitCode = exitCode;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`exa-webhooks-mcp: ${error.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    const message =
      error instanceof ConfigError ? error.message : `failed to start: ${(error as Error)?.message ?? error}`;
    process.stderr.write(`exa-webhooks-mcp: ${message}\n`);
    process.exitCode = error instanceof ConfigError ? error.exitCode : 1;
  },
);
