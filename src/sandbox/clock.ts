// The emulator's clock. Real time by default; the demo seeder pins it to moments in the past so that
// records the store stamps itself (webhook createdAt/updatedAt, status flips) fit the seeded history.
export class SandboxClock {
  private pinnedAt: number | undefined;

  /** ms epoch: the pinned virtual moment while one is set, else the wall clock. */
  readonly now = (): number => this.pinnedAt ?? Date.now();

  /** Runs `work` with the clock pinned at `at`; restores real time afterwards, even if it throws. */
  at<T>(at: number, work: () => T): T {
    const previous = this.pinnedAt;
    this.pinnedAt = at;
    try {
      return work();
    } finally {
      this.pinnedAt = previous;
    }
  }
}
