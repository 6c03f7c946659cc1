// The Exa client as a server hands it to one request: built on first use with the key that request uses, its
// retries reported to that request's log. src/server.ts loads this module on the first call or read that needs
// Exa, so the client and its zod response schemas stay off the path that answers tools/list.
import { VERSION } from "../version.js";
import { ExaClient } from "./client.js";
import { MissingApiKeyError } from "./errors.js";

export interface ClientSettings {
  baseUrl: string;
  /** The key the request uses: the configured one, or (over HTTP) the one it brought. */
  apiKey: string | undefined;
  timeoutMs: number;
  retryBaseMs: number;
  /** Keys come with requests (HTTP hosting): a missing one is told how to send it. */
  requestKeys: boolean | undefined;
}

/** The request's key, or the MissingApiKeyError that tells the model how to set one. */
export function requireApiKey(settings: Pick<ClientSettings, "apiKey" | "requestKeys">): string {
  if (!settings.apiKey) throw new MissingApiKeyError(settings.requestKeys);
  return settings.apiKey;
}

/** One request's client getter: the client is built on its first use; without a key it throws MissingApiKeyError. */
export function requestClient(settings: ClientSettings, warn: (message: string) => void): () => ExaClient {
  let client: ExaClient | undefined;
  return () => {
    const apiKey = requireApiKey(settings);
    client ??= new ExaClient({
      baseUrl: settings.baseUrl,
      apiKey,
      timeoutMs: settings.timeoutMs,
      retryBaseMs: settings.retryBaseMs,
      userAgent: `exa-webhooks-mcp/${VERSION}`,
      onRetry: (notice) =>
        warn(
          `Retrying ${notice.method} ${notice.path} in ${notice.delayMs} ms (retry ${notice.retry}): ${notice.reason}`,
        ),
    });
    return client;
  };
}
