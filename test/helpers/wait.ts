// The one way a test waits for something to happen: `expect.poll`. A wait that had no bound of its own (it
// ended with vitest's 30 s test timeout) polls this long, so it fails with the poll's message just before.
export const UNTIL_TEST_TIMEOUT = { timeout: 29_000, interval: 5 };
