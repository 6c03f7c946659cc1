// The egress guard's decisions, with no connection at all: every spelling of loopback, every private,
// link-local, CGNAT, multicast and reserved range, per place the server runs, and names resolved by a
// resolver the test plays (what the guard does with the answers it gets; the connections are proven in
// guard-netns.test.ts, under unshare -n).
import { describe, expect, it } from "vitest";
import { classifyAddress } from "../../src/net/addresses.js";
import {
  ALLOW_PRIVATE_TARGETS_VARIABLE,
  checkEgress,
  type EgressPolicy,
  egressRefusalBeforeLookup,
  type Resolver,
} from "../../src/net/egress.js";

const SERVED: EgressPolicy = { scope: "served", allowPrivateTargets: false };
const LOCAL: EgressPolicy = { scope: "local", allowPrivateTargets: false };
const LOCAL_PRIVATE: EgressPolicy = { scope: "local", allowPrivateTargets: true };
const SANDBOX: EgressPolicy = { scope: "sandbox", allowPrivateTargets: false };

/** A resolver that must not be asked: literals are judged without DNS. */
const noDns: Resolver = async (hostname) => {
  throw new Error(`unexpected lookup of ${hostname}`);
};

describe("classifyAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["64:ff9b::7f00:1", "loopback"],
    ["2002:7f00:1::", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["10.0.0.5", "private"],
    ["172.16.0.5", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.5", "private"],
    ["fd00::5", "private"],
    ["fc00::1", "private"],
    ["::ffff:10.1.2.3", "private"],
    ["100.64.0.1", "cgnat"],
    ["100.127.255.254", "cgnat"],
    ["169.254.169.254", "link_local"],
    ["::ffff:169.254.169.254", "link_local"],
    ["64:ff9b::a9fe:a9fe", "link_local"],
    ["fe80::1", "link_local"],
    ["febf::1", "link_local"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["240.0.0.1", "reserved"],
    ["0.1.2.3", "reserved"],
    ["::7f00:1", "reserved"],
    ["1.2.3.4", "public"],
    ["172.32.0.1", "public"],
    ["100.128.0.1", "public"],
    ["2606:4700::1111", "public"],
  ])("%s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe("egress policy on URLs", () => {
  // Every spelling an attacker may give for this host's loopback; WHATWG URL normalises some of them.
  const loopbackSpellings = [
    "http://127.0.0.1:8080/",
    "http://2130706433:8080/",
    "http://0x7f000001:8080/",
    "http://0177.0.0.1:8080/",
    "http://127.1:8080/",
    "http://[::1]:8080/",
    "http://[0:0:0:0:0:0:0:1]:8080/",
    "http://[::ffff:127.0.0.1]:8080/",
    "http://[::ffff:7f00:1]:8080/",
  ];

  it("a server bound beyond loopback refuses every spelling of loopback, without a DNS lookup", async () => {
    for (const url of loopbackSpellings) {
      const decision = await checkEgress(url, SERVED, noDns);
      expect(decision.ok, url).toBe(false);
      if (decision.ok) continue;
      expect(decision.refusal).toMatchObject({ reason: "address", addressClass: "loopback" });
      expect(decision.refusal.message).toContain(
        "this server is served to other machines, so it sends nothing to loopback addresses on its own host",
      );
    }
    for (const url of ["http://0.0.0.0:8080/", "http://[::]:8080/", "http://0:8080/"]) {
      const decision = await checkEgress(url, SERVED, noDns);
      expect(decision.ok ? undefined : decision.refusal.addressClass, url).toBe("unspecified");
    }
  });

  it("a local server sends to loopback and public addresses, and pins the address it checked", async () => {
    for (const url of loopbackSpellings) {
      const decision = await checkEgress(url, LOCAL, noDns);
      expect(decision.ok, url).toBe(true);
    }
    const mapped = await checkEgress("http://[::ffff:127.0.0.1]:9/", LOCAL, noDns);
    expect(mapped.ok && mapped.target.address).toEqual({ address: "::ffff:7f00:1", family: 6 });
    const decimal = await checkEgress("http://2130706433/", LOCAL, noDns);
    expect(decimal.ok && decimal.target.address).toEqual({ address: "127.0.0.1", family: 4 });
  });

  it("0.0.0.0 and :: are refused even locally: they reach this machine under another name", async () => {
    for (const url of ["http://0.0.0.0:3000/", "http://[::]:3000/"]) {
      const decision = await checkEgress(url, LOCAL, noDns);
      expect(decision.ok ? "" : decision.refusal.message, url).toContain("use 127.0.0.1 or localhost");
    }
  });

  it("private and CGNAT need the flag, which the refusal names; served, the flag does not apply", async () => {
    for (const url of [
      "http://10.0.0.5/",
      "http://172.16.0.5/",
      "http://192.168.1.5/",
      "http://[fd00::5]/",
      "http://100.64.0.5/",
    ]) {
      const local = await checkEgress(url, LOCAL, noDns);
      expect(local.ok, url).toBe(false);
      if (!local.ok) {
        expect(local.refusal.flag).toBe(ALLOW_PRIVATE_TARGETS_VARIABLE);
        expect(local.refusal.message).toContain(`Set ${ALLOW_PRIVATE_TARGETS_VARIABLE}=1`);
        expect(local.refusal.message).toMatch(/a private address|a carrier-grade NAT address/);
      }
      expect((await checkEgress(url, LOCAL_PRIVATE, noDns)).ok, url).toBe(true);
      const served = await checkEgress(url, { scope: "served", allowPrivateTargets: true }, noDns);
      expect(served.ok, url).toBe(false);
      if (!served.ok) {
        expect(served.refusal.flag).toBeUndefined();
        expect(served.refusal.message).toContain("never sends to private addresses");
      }
    }
  });

  it("link-local and the metadata address are refused whatever the flag, named as such", async () => {
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://[::ffff:169.254.169.254]/",
      "http://[64:ff9b::a9fe:a9fe]/",
      "http://[fe80::1]/",
    ]) {
      for (const policy of [LOCAL_PRIVATE, SERVED]) {
        const decision = await checkEgress(url, policy, noDns);
        expect(decision.ok, url).toBe(false);
        if (decision.ok) continue;
        expect(decision.refusal.addressClass).toBe("link_local");
        expect(decision.refusal.flag).toBeUndefined();
        expect(decision.refusal.message).toContain("where cloud metadata services answer");
        expect(decision.refusal.message).toContain("never sent to, whatever the settings");
      }
    }
  });

  it("multicast and reserved addresses are never sent to", async () => {
    for (const url of ["http://224.0.0.1/", "http://[ff02::1]/", "http://255.255.255.255/", "http://240.0.0.1/"]) {
      const decision = await checkEgress(url, LOCAL_PRIVATE, noDns);
      expect(decision.ok, url).toBe(false);
    }
  });

  it("judges every address a name resolves to: one loopback answer among public ones refuses the name", async () => {
    const resolve: Resolver = async () => [
      { address: "1.2.3.4", family: 4 },
      { address: "127.0.0.1", family: 4 },
    ];
    const decision = await checkEgress("https://hooks.example.test/exa", SERVED, resolve);
    expect(decision.ok).toBe(false);
    if (!decision.ok) {
      expect(decision.refusal.message).toContain("hooks.example.test resolves to 127.0.0.1");
      expect(decision.refusal.addressClass).toBe("loopback");
    }
    const publicOnly = await checkEgress("https://hooks.example.test/exa", SERVED, async () => [
      { address: "1.2.3.4", family: 4 },
    ]);
    expect(publicOnly.ok && publicOnly.target.address.address).toBe("1.2.3.4");
  });

  it("localhost, resolved by the system, is loopback: refused served, sent locally", async () => {
    const served = await checkEgress("http://localhost:3000/x", SERVED);
    expect(served.ok ? undefined : served.refusal.addressClass).toBe("loopback");
    expect((await checkEgress("http://localhost:3000/x", LOCAL)).ok).toBe(true);
  });

  it("a name that does not resolve is worded as Node words it, not as a refusal", async () => {
    const failing: Resolver = async () => {
      throw Object.assign(new Error("nope"), { code: "ENOTFOUND" });
    };
    const decision = await checkEgress("https://gone.example.test/", LOCAL, failing);
    expect(decision.ok ? undefined : decision.refusal).toMatchObject({
      reason: "unresolved",
      message: "getaddrinfo ENOTFOUND gone.example.test",
    });
  });

  it("the sandbox resolves no name but localhost, and sends only to loopback", () => {
    expect(egressRefusalBeforeLookup("https://hooks.example.test/", SANDBOX)?.message).toContain(
      "the sandbox sends only to 127.0.0.0/8, localhost or [::1]",
    );
    expect(egressRefusalBeforeLookup("http://1.2.3.4/", SANDBOX)?.message).toContain("the sandbox sends only to");
    expect(egressRefusalBeforeLookup("http://localhost:3000/", SANDBOX)).toBeUndefined();
    expect(egressRefusalBeforeLookup("http://127.0.0.1:3000/", SANDBOX)).toBeUndefined();
  });

  it("refuses what is not http(s) or carries credentials", () => {
    expect(egressRefusalBeforeLookup("file:///etc/passwd", LOCAL)?.reason).toBe("not_http");
    expect(egressRefusalBeforeLookup("https://u:p@hooks.example.test/", LOCAL)?.reason).toBe("credentials");
  });
});
