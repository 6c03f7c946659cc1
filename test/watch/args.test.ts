// The watch's flags: where each goes (the watch command, the server's --watch), and the refusals a person reads.
import { describe, expect, it } from "vitest";
import { parseCommand, UsageError } from "../../src/cli/args.js";
import { runBin } from "../helpers/harness.js";

describe("watch flags", () => {
  it("takes an optional interval after the server's --watch", () => {
    const bare = parseCommand(["--watch", "--sandbox"]);
    expect(bare.mode === "serve" && bare.flags.watch?.interval).toBeUndefined();
    const timed = parseCommand(["--watch", "30s", "--channel"]);
    expect(timed.mode === "serve" && timed.flags.watch).toMatchObject({ interval: "30s", channel: true });
  });

  it.each([
    [["watch", "--channel"], "--channel goes with the server's --watch: the watch command has no MCP client to tell."],
    [["--interval", "5s"], "--interval goes with the watch command or the server's --watch."],
    [["--watch", "--interval", "5s"], "Give the interval to --watch itself: --watch 60s."],
    [["watch", "--watch"], "watch is the command; --watch goes with the server."],
  ])("refuses %j", (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(new UsageError(message));
  });

  it("refuses an interval under 1 s through the bin, naming the recommendation", () => {
    const run = runBin(["watch", "--sandbox", "--interval", "500ms"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--interval must be 1s or more, got "500ms". 60s is recommended.');
  });

  it("refuses to watch without a key, naming how to set it or the sandbox", () => {
    const run = runBin(["watch"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("EXA_API_KEY is not set: the watch reads your webhooks with it.");
    expect(run.stderr).toContain("or add --sandbox to watch the demo account");
  });
});
