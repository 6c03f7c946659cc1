// A full garbage collection on demand, for long scans only. A 100k-attempt diagnosis allocates ~0.5 GB of
// short-lived page data while its live set stays ~20 MB; V8 lets the old generation grow far past that
// before collecting, which showed as ~150 MB peak RSS. Collecting every ~20k attempts holds it near 120 MB
// for a few ms each. Node has no API for this without --expose-gc, which a bin cannot pass; the flag can be
// set at run time and the function taken from a fresh context.

let collect: (() => void) | undefined | null = null;

/** Collects soon (node:v8 is loaded on first use, not at start-up); a no-op where it cannot. */
export async function collectGarbage(): Promise<void> {
  if (collect === null) {
    try {
      const [{ setFlagsFromString }, { runInNewContext }] = await Promise.all([import("node:v8"), import("node:vm")]);
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as () => void;
    } catch {
      collect = undefined;
    }
  }
  collect?.();
}
