// The lazy store handle: nothing opens at start (the engines and SQL load on the first open), the first caller
// that needs memory opens it, once, shared by concurrent callers; a failure to open is kept as the answer
// (a StoreUnavailable), never thrown.
import type { StoreAccess, StoreOpening, StoreSpec } from "./types.js";

export function createStoreAccess(spec: StoreSpec): StoreAccess {
  let opening: Promise<StoreOpening> | undefined;
  return {
    spec,
    open() {
      opening ??= import("./open.js").then(({ openStore }) => openStore(spec));
      return opening;
    },
    async close() {
      const opened = await opening;
      opening = undefined;
      if (opened?.ok) await opened.store.close();
    },
  };
}
