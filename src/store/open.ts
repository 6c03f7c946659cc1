// Opens a store from its spec: loads the engine (lazily), runs migrations, prunes. Never throws: a store that
// cannot open is a StoreUnavailable.
import type { StoreOpening, StoreSpec } from "./types.js";

export async function openStore(spec: StoreSpec): Promise<StoreOpening> {
  return {
    ok: false,
    unavailable: { reason: "failed", engine: spec.engine, location: "", detail: "not built yet", remedy: "" },
  };
}
