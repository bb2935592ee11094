// Exponential back-off: base, 2×base, 4×base … capped at max. Pure, so the schedule is testable without waiting.
export function retryDelayMs(failedAttempts: number, baseMs: number, maxMs: number): number {
  // 2^40 ms is 35 years: beyond any cap, and far from overflowing a double.
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failedAttempts - 1, 0), 40));
}
