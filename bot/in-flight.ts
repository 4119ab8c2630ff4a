/**
 * Update handlers still running (polling and webhook alike), so shutdown can wait for them before
 * it closes the database under their feet.
 */
export class InFlight {
  private readonly pending = new Set<Promise<void>>();

  /** Follows `work` until it settles; returns it unchanged (its errors stay the caller's). */
  track<T>(work: Promise<T>): Promise<T> {
    const ignore = () => undefined;
    const settled: Promise<void> = work.then(ignore, ignore).finally(() => this.pending.delete(settled));
    this.pending.add(settled);
    return work;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves true once nothing is running (work added meanwhile included), false after `ms`. */
  async drain(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
    try {
      while (this.pending.size > 0) {
        const done = await Promise.race([Promise.all([...this.pending]).then(() => true as const), timedOut]);
        if (!done) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
