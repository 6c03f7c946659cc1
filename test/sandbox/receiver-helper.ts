// A webhook receiver written the way a user would write one: node:http plus its own HMAC check (not the
// project's signing code), recording what it received so tests can assert on real deliveries.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether Exa-Signature verified against the secret the receiver knew at that moment. */
  signatureValid: boolean;
}

export interface TestReceiver {
  url: string;
  received: ReceivedDelivery[];
  /** Set once the webhook exists (the secret comes from create). */
  secret: string | undefined;
  close(): Promise<void>;
}

/** `answer(n)` gives the status for the n-th request (1-based). */
export async function startTestReceiver(answer: (n: number) => number = () => 200): Promise<TestReceiver> {
  const received: ReceivedDelivery[] = [];
  const receiver: TestReceiver = { url: "", received, secret: undefined, close: async () => {} };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const header = request.headers["exa-signature"];
      const signatureValid =
        typeof header === "string" && receiver.secret !== undefined && verify(header, body, receiver.secret);
      received.push({ headers: request.headers, body, signatureValid });
      const status = answer(received.length);
      response.writeHead(status, { "content-type": "text/plain", "x-receiver": "test" });
      response.end(status >= 400 ? `handler failed with ${status}` : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

function verify(header: string, body: string, secret: string): boolean {
  const fields = header.split(",").map((field) => field.trim().split("=", 2) as [string, string]);
  const t = fields.find(([name]) => name === "t")?.[1];
  if (!t || Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  return fields
    .filter(([name]) => name === "v1")
    .some(([, hex]) => {
      const given = Buffer.from(hex, "hex");
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
