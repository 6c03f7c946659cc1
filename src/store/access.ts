// The lazy store handle: nothing opens at start; the first caller that needs memory opens it (once, shared by
// concurrent callers), and a failure to open is kept as the answer (StoreUnavailable), never thrown.
import { openStore } from "./open.js";
import type { StoreAccess, StoreOpening, StoreSpec } from "./types.js";

export function createStoreAccess(spec: StoreSpec): StoreAccess {
  let opening: Promise<StoreOpening> | undefined;
  return {
    spec,
    open() {
      opening ??= openStore(spec);
      return opening;
    },
    async close() {
      const opened = await opening;
      opening = undefined;
      if (opened?.ok) await opened.store.close();
    },
  };
}
