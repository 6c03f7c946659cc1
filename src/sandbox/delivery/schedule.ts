// The sandbox's own delivery policy. Exa's real retry schedule and timeout are undocumented, so these are
// ours, compressed so a developer watching a local receiver sees every retry within about 15 seconds.

/** Waits before attempts 2, 3, 4 and 5; after the 5th failure the sandbox gives up on that event. */
export const SANDBOX_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000];

/** How long a receiver may take to answer before the attempt is recorded as a timeout. */
export const SANDBOX_DELIVERY_TIMEOUT_MS = 10_000;

/** Receivers' response bodies are stored up to this many characters (they can be whole HTML pages). */
export const MAX_RECORDED_BODY_CHARS = 2_048;
