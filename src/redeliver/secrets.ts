// EXA_WEBHOOK_SECRETS: the signing secrets redeliver_events signs with, as `webhook_id=secret` pairs,
// comma-separated. Parsed strictly; a warning names the entry's position (and its id when valid), never
// its text, since a malformed entry may be mostly secret.
import { isValidId } from "../exa/ids.js";

export const WEBHOOK_SECRETS_VARIABLE = "EXA_WEBHOOK_SECRETS";

/** "sandbox": --sandbox knows each of its webhooks' secrets, so a session there needs none. */
export type SecretSource = "argument" | "EXA_WEBHOOK_SECRETS" | "sandbox" | "none";

/**
 * The secret a redelivery signs with and where it came from: the call's argument, else EXA_WEBHOOK_SECRETS,
 * else (in --sandbox) the sandbox's own secret for the webhook.
 */
export async function chooseSigningSecret(
  webhookId: string,
  given: string | undefined,
  configured: ReadonlyMap<string, string>,
  sandbox: { webhookSecret(webhookId: string): Promise<string | undefined> } | undefined,
): Promise<{ secret: string | undefined; from: SecretSource }> {
  if (given) return { secret: given, from: "argument" };
  const fromEnvironment = configured.get(webhookId);
  if (fromEnvironment) return { secret: fromEnvironment, from: WEBHOOK_SECRETS_VARIABLE };
  const fromSandbox = given === undefined ? await sandbox?.webhookSecret(webhookId) : undefined;
  return fromSandbox ? { secret: fromSandbox, from: "sandbox" } : { secret: undefined, from: "none" };
}

interface ParsedWebhookSecrets {
  secrets: ReadonlyMap<string, string>;
  warnings: string[];
}

export function parseWebhookSecrets(raw: string | undefined): ParsedWebhookSecrets {
  const secrets = new Map<string, string>();
  const warnings: string[] = [];
  const text = raw?.trim();
  if (!text) return { secrets, warnings };
  const repeated = new Set<string>();
  for (const [index, entry] of text.split(",").entries()) {
    const position = `${WEBHOOK_SECRETS_VARIABLE} entry ${index + 1}`;
    const pair = entry.trim();
    if (pair === "") {
      warnings.push(`${position} is empty (a stray comma); ignored.`);
      continue;
    }
    // Split at the first "=": base64 secrets may end in "=" padding.
    const separator = pair.indexOf("=");
    const id = separator === -1 ? "" : pair.slice(0, separator).trim();
    const secret = separator === -1 ? "" : pair.slice(separator + 1).trim();
    if (separator === -1 || !isValidId(id)) {
      warnings.push(`${position} is not webhook_id=secret (the id must be a webhook id from list_webhooks); ignored.`);
      continue;
    }
    if (secret === "" || /\s/.test(secret)) {
      warnings.push(`${position} (webhook ${id}) has an empty secret or one with whitespace inside; ignored.`);
      continue;
    }
    if (secrets.has(id) || repeated.has(id)) {
      if (!repeated.has(id)) warnings.push(`${WEBHOOK_SECRETS_VARIABLE} lists webhook ${id} twice; both ignored.`);
      repeated.add(id);
      secrets.delete(id);
      continue;
    }
    secrets.set(id, secret);
  }
  return { secrets, warnings };
}
