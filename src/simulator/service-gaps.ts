// "Seconds without service" for a fault run: the longest stretch of a measured window in which no
// money-bearing CALL (StartTransaction, StopTransaction, MeterValues) was acknowledged, and how long after the
// database came back the first one was. Pure: fed times in milliseconds, in the order they happened.

export interface ServiceGaps {
  /** The longest stretch without an acknowledged money-bearing CALL, window edges included. */
  longestGapMs: number;
  longestGapFromMs: number;
  longestGapToMs: number;
  /** From databaseBack() to the first acknowledgement at or after it; null if none came before the window ended (or it was never called). */
  serviceBackAfterMs: number | null;
}

export class ServiceTracker {
  private last: number;
  private longest: { from: number; to: number };
  private backAt: number | null = null;
  // Every acknowledgement's time: "back" is often known only after it (pg_ctlcluster returns seconds after
  // PostgreSQL accepts connections), so the first acknowledgement after it is looked up at the end.
  private times = new Float64Array(1 << 14);
  private size = 0;

  /** The window opens at startMs: a fault before any acknowledgement counts from there. */
  constructor(private readonly startMs: number) {
    this.last = startMs;
    this.longest = { from: startMs, to: startMs };
  }

  /** A money-bearing CALL was acknowledged at atMs. */
  success(atMs: number): void {
    if (atMs < this.last) return; // callbacks come in time order; an earlier one adds no gap
    if (atMs - this.last > this.longest.to - this.longest.from) this.longest = { from: this.last, to: atMs };
    this.last = atMs;
    if (this.size === this.times.length) {
      const bigger = new Float64Array(this.times.length * 2);
      bigger.set(this.times);
      this.times = bigger;
    }
    this.times[this.size++] = atMs;
  }

  /** The database was back at atMs (accepting connections, proxy restored, backends terminated); may be told late. */
  databaseBack(atMs: number): void {
    this.backAt = atMs;
  }

  /** Closes the window at endMs: the stretch since the last acknowledgement counts too. */
  finish(endMs: number): ServiceGaps {
    let longest = this.longest;
    if (endMs - this.last > longest.to - longest.from) longest = { from: this.last, to: endMs };
    const firstAfterBack = this.backAt === null ? null : this.firstAtOrAfter(this.backAt);
    return {
      longestGapMs: longest.to - longest.from,
      longestGapFromMs: longest.from - this.startMs,
      longestGapToMs: longest.to - this.startMs,
      serviceBackAfterMs: this.backAt === null || firstAfterBack === null ? null : firstAfterBack - this.backAt,
    };
  }

  /** Binary search over the times, which are in order. */
  private firstAtOrAfter(atMs: number): number | null {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid] < atMs) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.size ? this.times[lo] : null;
  }
}
