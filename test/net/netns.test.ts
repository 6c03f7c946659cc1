// Runs the egress tests that open connections inside a network namespace of their own (`unshare -n`, as
// root): only lo, brought up, with a public, private, CGNAT and link-local address added to it. Nothing a
// test does can leave the machine, and every refused address has a real receiver behind it.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

const INSIDE = process.env.EXA_TEST_NETNS === "1";
const FILES = ["test/net/guard-netns.test.ts", "test/redeliver/egress-netns.test.ts"];
const ADDRESSES = ["10.0.0.5", "172.16.0.5", "192.168.1.5", "100.64.0.5", "169.254.169.254", "1.2.3.4"];

describe.skipIf(INSIDE)("egress tests under unshare -n", () => {
  it("pass inside a namespace with only lo", { timeout: 180_000 }, async () => {
    const setup = ["ip link set lo up", ...ADDRESSES.map((address) => `ip addr add ${address}/32 dev lo`)];
    const run = `exec "${process.execPath}" node_modules/vitest/vitest.mjs run ${FILES.join(" ")}`;
    const child = spawn("unshare", ["-n", "sh", "-c", [...setup, run].join(" && ")], {
      env: {
        PATH: process.env.PATH ?? "",
        XDG_STATE_HOME: process.env.XDG_STATE_HOME ?? "",
        HOME: process.env.HOME ?? "/tmp",
        EXA_TEST_NETNS: "1",
        NO_COLOR: "1",
      },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    expect(code, `unshare -n (needs root) and the namespaced run:\n${output}`).toBe(0);
    // Every file ran its tests inside, none skipped.
    expect(output).toMatch(new RegExp(`Test Files\\s+${FILES.length} passed`));
    expect(output).not.toMatch(/skipped/);
  });
});
