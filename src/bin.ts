#!/usr/bin/env node
// The published bin (dist/index.js). It turns on Node's own compile cache where Node has one (22.1+: compiled
// code of the modules loaded afterwards is kept in the system's temp folder, which Node manages), then loads
// the program (src/main.ts, bundled as dist/main.js). On Node 20 the program simply loads.
import module from "node:module";

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import("./main.js");
