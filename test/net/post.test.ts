// The guarded POST on 127.0.0.1: over https the address is pinned, but TLS still checks the URL's host name
// (SNI and certificate), so pinning cannot be used to skip verification (the certificate is made for the
// test by openssl, self-signed, so the check must fail, naming why); and the deadline covers the lookup.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyAttempt } from "../../src/diagnose/index.js";
import { postGuarded } from "../../src/net/post.js";

function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), "net-tls-"));
  try {
    const made = spawnSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"].concat([
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ]),
      { encoding: "utf8" },
    );
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
    return { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("postGuarded", () => {
  it("sends the URL's host name as SNI and refuses a certificate it cannot verify", async () => {
    const names: (string | undefined)[] = [];
    let requests = 0;
    const server = createServer(
      {
        ...selfSignedCertificate(),
        SNICallback: (name, callback) => {
          names.push(name);
          callback(null);
        },
      },
      (_request, response) => {
        requests++;
        response.end("ok");
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const outcome = await postGuarded({
        url: `https://localhost:${(server.address() as AddressInfo).port}/webhooks/exa`,
        body: "{}",
        headers: { "content-type": "application/json" },
        timeoutMs: 5000,
        maxResponseChars: 100,
        policy: { scope: "local", allowPrivateTargets: false },
      });
      expect(outcome.address).toBe("127.0.0.1");
      expect(outcome.statusCode).toBe(0);
      expect(outcome.responseText).toMatch(/self[- ]signed/i);
      expect(classifyAttempt({ responseStatusCode: 0, responseBody: outcome.responseText })).toBe("tls");
      expect(names).toEqual(["localhost"]);
      expect(requests).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("a resolver that never answers meets the same deadline as the exchange, and nothing connects", async () => {
    let lookups = 0;
    const outcome = await postGuarded({
      url: "https://hooks.example.test/webhooks/exa",
      body: "{}",
      headers: {},
      timeoutMs: 200,
      maxResponseChars: 100,
      policy: { scope: "served", allowPrivateTargets: false },
      resolve: () => {
        lookups++;
        return new Promise(() => {});
      },
    });
    expect(outcome).toMatchObject({ statusCode: 0, timedOut: true, address: undefined, refusal: undefined });
    expect(lookups).toBe(1);
  });
});
