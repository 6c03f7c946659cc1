// `exa-webhooks-mcp store [--prune-days N]`: where memory lives and what it holds. Lines for a person on a TTY,
// one JSON line otherwise. Exit 1 when no store opens (the line says why and what to do).
import { openStore } from "./open.js";
import type { StoreSpec } from "./types.js";
import { notRememberedBecause } from "./unavailable.js";

export interface StoreCommandOutput {
  write(text: string): void;
  isTTY: boolean;
}

export async function runStoreCommand(
  spec: StoreSpec,
  pruneDays: number | undefined,
  out: StoreCommandOutput,
): Promise<number> {
  const opened = await openStore(spec);
  if (!opened.ok) {
    const { unavailable } = opened;
    if (out.isTTY) out.write(`No store: ${notRememberedBecause(unavailable)}\n`);
    else out.write(`${JSON.stringify({ ok: false, ...unavailable })}\n`);
    return 1;
  }
  const { store } = opened;
  try {
    const pruned = pruneDays === undefined ? undefined : await store.prune(pruneDays);
    const description = await store.describe();
    if (!out.isTTY) {
      out.write(`${JSON.stringify({ ok: true, ...description, ...(pruned && { pruned, pruneDays }) })}\n`);
      return 0;
    }
    const counts = (rows: Record<string, number>) =>
      Object.entries(rows)
        .map(([table, n]) => `${table} ${n}`)
        .join(", ");
    const lines = [
      `engine    ${description.engine}`,
      `location  ${description.location}`,
      `schema    version ${description.schemaVersion}`,
      `rows      ${counts(description.rows)}`,
    ];
    if (pruned) {
      const total = Object.values(pruned).reduce((sum, n) => sum + n, 0);
      lines.push(`pruned    ${total} rows older than ${pruneDays} days (${counts(pruned)})`);
    }
    out.write(`${lines.join("\n")}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
