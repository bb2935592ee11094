// Latency and throughput arithmetic for the simulator and the benchmark: pure.
import type { CallFailure } from './call-failure.js';

export class LatencyRecorder {
  private samples = new Float64Array(1 << 16);
  private size = 0;
  failures = 0;

  record(ms: number, ok: boolean): void {
    if (!ok) this.failures++;
    if (this.size === this.samples.length) {
      const bigger = new Float64Array(this.samples.length * 2);
      bigger.set(this.samples);
      this.samples = bigger;
    }
    this.samples[this.size++] = ms;
  }

  get count(): number {
    return this.size;
  }

  /** Nearest-rank percentiles of everything recorded so far. */
  percentiles(...ps: number[]): number[] {
    if (this.size === 0) return ps.map(() => Number.NaN);
    const sorted = this.samples.slice(0, this.size).sort();
    return ps.map((p) => sorted[Math.min(this.size - 1, Math.max(0, Math.ceil((p / 100) * this.size) - 1))]);
  }

  reset(): void {
    this.size = 0;
    this.failures = 0;
  }
}

/** Spaces calls evenly at `perSecond` across every caller sharing it (open-loop offered load). */
export function createPacer(perSecond: number): () => Promise<void> {
  const gapMs = 1000 / perSecond;
  let nextSlot = performance.now();
  return () => {
    const now = performance.now();
    nextSlot = Math.max(nextSlot + gapMs, now - 50 * gapMs);
    const wait = nextSlot - now;
    return wait > 1 ? new Promise((r) => setTimeout(r, wait)) : Promise.resolve();
  };
}

/** Failed CALLs by what went wrong: CALLERRORs by their code, timeouts, and calls lost with their connection. */
export class FailureCounter {
  readonly callErrors: Record<string, number> = {};
  readonly lost: Record<string, number> = {};
  timeouts = 0;

  record(failure: CallFailure | undefined): void {
    if (failure?.kind === 'timeout') this.timeouts++;
    else if (failure?.kind === 'callerror') this.callErrors[failure.code] = (this.callErrors[failure.code] ?? 0) + 1;
    else this.lost[failure?.code ?? 'unknown'] = (this.lost[failure?.code ?? 'unknown'] ?? 0) + 1;
  }

  get callErrorCount(): number {
    return Object.values(this.callErrors).reduce((sum, n) => sum + n, 0);
  }
}
