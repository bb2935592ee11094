// One fault in a bench run's measured window: injected at its time, announced on the progress line when it
// starts and ends, and summed up for the report with the service it cost.
import { FAULT_DESCRIPTIONS, type FaultKind, type FaultOutcome, type PreparedFault } from './faults.js';
import type { ServiceTracker } from './service-gaps.js';

export interface FaultPlan {
  kind: FaultKind;
  /** Seconds into the measured window. */
  atS: number;
  /** How long the network faults last. */
  durationS: number;
}

export interface FaultReport {
  kind: FaultKind;
  description: string;
  /** Seconds into the measured window: when the fault began, and when the database was back. */
  startedAtS: number | null;
  databaseBackAtS: number | null;
  /** What "back" means for this fault (restart command returned, proxy restored, terminate returned). */
  back: string | null;
  detail: string | null;
  /** The fault itself could not be done as asked. */
  error: string | null;
  /** From the database being back to the first acknowledged money-bearing CALL; null: none by the end of the window. */
  serviceBackAfterS: number | null;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

export class FaultRun {
  private startedAt: number | null = null;
  private outcome: FaultOutcome | null = null;
  private task: Promise<void> = Promise.resolve();
  private windowStart = 0;

  constructor(
    private readonly fault: PreparedFault,
    private readonly plan: FaultPlan,
    private readonly progress: (line: string) => void,
  ) {}

  /** Starts the clock at the window's start; the fault follows plan.atS later. */
  schedule(windowStart: number, tracker: ServiceTracker): void {
    this.windowStart = windowStart;
    this.task = (async () => {
      await new Promise((r) => setTimeout(r, this.plan.atS * 1000));
      this.startedAt = performance.now();
      this.progress(`fault ${this.plan.kind} at ${this.at(this.startedAt)} s: ${FAULT_DESCRIPTIONS[this.plan.kind]}`);
      this.outcome = await this.fault.inject();
      tracker.databaseBack(this.outcome.backAt);
      const { back, detail, error } = this.outcome;
      this.progress(`fault over at ${this.at(this.outcome.backAt)} s: ${back}${detail ? ` (${detail})` : ''}${error ? `; ${error}` : ''}`);
    })();
  }

  /** Resolves once the database is back (a fault longer than the window is waited for, so it always ends). */
  settled(): Promise<void> {
    return this.task;
  }

  get inProgress(): boolean {
    return this.startedAt !== null && this.outcome === null;
  }

  /** Whether the fault had begun and the database was not back yet at that moment (performance.now()). */
  wasInProgressAt(time: number): boolean {
    return this.startedAt !== null && time >= this.startedAt && (this.outcome === null || time <= this.outcome.backAt);
  }

  /** For the per-second progress line. */
  get state(): string {
    if (this.startedAt === null) return `${this.plan.kind} at ${this.plan.atS} s`;
    if (this.outcome === null) return `${this.plan.kind} in progress`;
    return `${this.plan.kind} over at ${this.at(this.outcome.backAt)} s`;
  }

  report(serviceBackAfterMs: number | null): FaultReport {
    return {
      kind: this.plan.kind,
      description: FAULT_DESCRIPTIONS[this.plan.kind],
      startedAtS: this.startedAt === null ? null : this.at(this.startedAt),
      databaseBackAtS: this.outcome === null ? null : this.at(this.outcome.backAt),
      back: this.outcome?.back ?? null,
      detail: this.outcome?.detail || null,
      error: this.outcome?.error ?? null,
      serviceBackAfterS: serviceBackAfterMs === null ? null : Math.round(serviceBackAfterMs) / 1000,
    };
  }

  private at(time: number): number {
    return seconds(time - this.windowStart);
  }
}
