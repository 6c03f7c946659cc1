// A full garbage collection on demand, for long scans only. A 100k-attempt diagnosis allocates ~0.5 GB of
// short-lived page data while its live set stays ~20 MB; V8 lets the old generation grow far past that
// before collecting, which showed as ~150 MB peak RSS. Collecting every ~20k attempts holds it near 125 MB
// for a few ms each. Node has no API for this without --expose-gc, which a bin cannot pass; the flag can be
// set at run time and the function taken from a fresh context.
// (Static imports on purpose: the bundle runs in a vm.Script, where a dynamic import() of a builtin fails.)
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | undefined | null = null;

/** A no-op where the runtime refuses. */
export function collectGarbage(): void {
  if (collect === null) {
    try {
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as () => void;
    } catch {
      collect = undefined;
    }
  }
  collect?.();
}
