// Whether storage can commit now. The first storage-away fault (faults.ts) starts a check at once: a probe
// write on a fresh connection. Until it answers, new work waits for it (one dropped connection fails only
// the statements that were on it); if the probe fails, storage is down: every write fails at once with
// StorageUnavailableError (chargers get InternalError and resend) instead of waiting out a timeout, and the
// probe is repeated with back-off until it succeeds. Then storage is up again and the listeners are told.
import { StorageUnavailableError } from './faults.js';

export type StorageState = 'up' | 'checking' | 'down';

export interface StorageAvailability {
  state: StorageState;
  /** When the current check or outage began, ISO-8601; null while up. */
  since: string | null;
  /** The fault that began it; null while up. */
  reason: string | null;
}

export interface HealthLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Waits between probes while down: short first, so a restarted database is found again within a second or two. */
const PROBE_DELAYS_MS = [50, 100, 200, 400, 700, 1000];

export class StorageHealth {
  private current: StorageState = 'up';
  private sinceMs = 0;
  private reason: string | null = null;
  private checking: Promise<void> | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private closed = false;
  private readonly listeners = new Set<(state: StorageState) => void>();
  /** Writes refused while down, reported when storage is back. */
  refused = 0;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly log: HealthLog | undefined,
    /** Called when a fault begins a check: the pool drops its connections, which may all be dead. */
    private readonly onFault: () => void = () => {},
  ) {}

  get state(): StorageState {
    return this.current;
  }

  get available(): boolean {
    return this.current === 'up';
  }

  availability(): StorageAvailability {
    if (this.current === 'up') return { state: 'up', since: null, reason: null };
    return { state: this.current, since: new Date(this.sinceMs).toISOString(), reason: this.reason };
  }

  /** Told of every change of state (up, checking, down). */
  onChange(listener: (state: StorageState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when storage may be used: at once while up, after the running check, or throws while down. */
  async ready(): Promise<void> {
    if (this.current === 'up') return;
    if (this.current === 'checking' && this.checking) await this.checking;
    if (!this.available) throw this.unavailable();
  }

  /** The error a refused request gets while storage is down. */
  unavailable(): StorageUnavailableError {
    return new StorageUnavailableError(`storage unavailable since ${new Date(this.sinceMs).toISOString()}: ${this.reason ?? 'unknown fault'}`);
  }

  /** A storage-away fault was seen (faults.ts decided): while up, check at once. */
  fault(error: unknown): void {
    if (this.closed || this.current !== 'up') return;
    this.current = 'checking';
    this.sinceMs = Date.now();
    this.reason = error instanceof Error ? error.message : String(error);
    this.attempt = 0;
    this.onFault();
    this.emit();
    this.checking = this.runProbe().then((ok) => {
      this.checking = null;
      if (ok) return this.becomeUp();
      this.current = 'down';
      this.log?.error({ reason: this.reason, since: new Date(this.sinceMs).toISOString() }, 'storage unavailable: money-bearing messages get InternalError until it is back');
      this.emit();
      this.scheduleProbe();
    });
  }

  close(): void {
    this.closed = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
  }

  private scheduleProbe(): void {
    if (this.closed) return;
    const delay = PROBE_DELAYS_MS[Math.min(this.attempt, PROBE_DELAYS_MS.length - 1)];
    this.attempt += 1;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      void this.runProbe().then((ok) => (ok ? this.becomeUp() : this.scheduleProbe()));
    }, delay);
    this.probeTimer.unref();
  }

  private async runProbe(): Promise<boolean> {
    try {
      await this.probe();
      return true;
    } catch (error) {
      this.reason = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  private becomeUp(): void {
    if (this.closed) return;
    const wasDown = this.current === 'down';
    const downForS = (Date.now() - this.sinceMs) / 1000;
    this.current = 'up';
    this.reason = null;
    if (wasDown) this.log?.info({ downForS: Math.round(downForS * 10) / 10, refusedWrites: this.refused }, 'storage is back');
    this.refused = 0;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) {
      try {
        listener(this.current);
      } catch {
        // a listener's bug must not stop the others or the probe
      }
    }
  }
}
