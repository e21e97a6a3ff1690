/**
 * Named counts per stage, kept as `${stage}.${name}`. Every stage counts `in` (ok inputs it
 * processed), `ok`, `dropped_<reason>` and `failed`; stages add their own measures (tokens,
 * positions, …). Non-ok inputs passed through untouched are not counted again.
 */
export class Counters {
  private readonly values = new Map<string, number>();
  private readonly busy = new Map<string, number>();

  /**
   * Wall time a stage spent processing its batches, in ms, kept apart from the counts (which are
   * deterministic; times are not). Concurrent batches add up, so a stage can exceed the run time.
   */
  addBusy(stage: string, ms: number): void {
    this.busy.set(stage, (this.busy.get(stage) ?? 0) + ms);
  }

  /** Busy milliseconds per stage. */
  busyMs(): Record<string, number> {
    return Object.fromEntries([...this.busy].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  add(stage: string, name: string, amount = 1): void {
    const key = `${stage}.${name}`;
    this.values.set(key, (this.values.get(key) ?? 0) + amount);
  }

  get(stage: string, name: string): number {
    return this.values.get(`${stage}.${name}`) ?? 0;
  }

  /** All counts, keys sorted. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
