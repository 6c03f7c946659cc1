// The store's public face: the interface, how to choose an engine, and the lazy handle. Engines load on open.
export { createStoreAccess } from "./access.js";
export { defaultStorePath, redactedLocation, resolveStoreSpec } from "./spec.js";
export * from "./types.js";
export { notRememberedBecause } from "./unavailable.js";
