// How long a simulated charger waits before resending a message the CSMS did not acknowledge: pure.

export interface BackoffOptions {
  /** Pause before the first resend. */
  initialMs: number;
  /** No pause grows past this. */
  maxMs: number;
  /** 0..1: that share of each pause is drawn at random, so a thousand chargers that failed together do not all resend together. */
  jitter?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 5_000, jitter: 0.2 };

/** The pause after the `attempt`-th failure (0 = the first): doubling from initialMs, capped at maxMs. */
export function backoffMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  // Past 2^20 the cap has long been reached; stop doubling before the number overflows.
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(Math.max(0, attempt), 20));
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0));
  return Math.round(base * (1 - jitter * random()));
}
