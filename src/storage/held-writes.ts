// Writes that no charger will send again — connector status, boot details, connection history, authorization
// decisions, the command log, last-seen times — and that must not make a charger wait on a database that is
// away. While storage is away they are held here in arrival order and written, in that order, once it is back
// (health.ts), with the events they carry. Money is never held: a session write fails and the charger resends it.
import { StorageUnavailableError } from './faults.js';
import type { StorageState } from './health.js';

export interface HeldWritesHealth {
  readonly available: boolean;
  onChange(listener: (state: StorageState) => void): () => void;
}

export interface HeldWritesLog {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

type Write = () => Promise<unknown>;

/** Held writes kept at most, oldest dropped first: a long outage must not exhaust memory. */
const DEFAULT_LIMIT = 100_000;

export class HeldWrites {
  private held: Write[] = [];
  private replaying: Promise<void> | null = null;
  private dropped = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly health: HeldWritesHealth,
    private readonly log?: HeldWritesLog,
    private readonly limit = DEFAULT_LIMIT,
  ) {
    this.unsubscribe = health.onChange((state) => {
      if (state === 'up') void this.replay();
    });
  }

  get size(): number {
    return this.held.length;
  }

  /**
   * Writes now; when storage is away (or writes are already held, which keeps their order) the write is held
   * and this resolves at once: the caller answers from memory, the row follows when storage is back.
   */
  async write(run: Write): Promise<'written' | 'held'> {
    if (this.held.length > 0 || !this.health.available) return this.hold(run);
    try {
      await run();
      return 'written';
    } catch (error) {
      if (!(error instanceof StorageUnavailableError)) throw error;
      return this.hold(run);
    }
  }

  /** Writes what is held now, as far as storage allows (shutdown, or storage back). */
  replay(): Promise<void> {
    this.replaying ??= this.drain().finally(() => (this.replaying = null));
    return this.replaying;
  }

  close(): void {
    this.unsubscribe();
    if (this.held.length > 0) this.log?.warn({ lost: this.held.length }, 'writes held while storage was away were not written before shutdown');
    this.held = [];
  }

  private hold(run: Write): 'held' {
    this.held.push(run);
    if (this.held.length > this.limit) {
      this.held.shift();
      if (this.dropped++ === 0) this.log?.warn({ limit: this.limit }, 'storage away for long: the oldest held writes (status, connection history, decisions) are dropped');
    }
    // Storage may have come back between the failure and now: nobody else would start the replay.
    if (this.health.available) void this.replay();
    return 'held';
  }

  private async drain(): Promise<void> {
    let written = 0;
    while (this.held.length > 0 && this.health.available) {
      const next = this.held[0];
      try {
        await next();
        written += 1;
      } catch (error) {
        if (error instanceof StorageUnavailableError) return; // away again: the rest waits for the next recovery
        this.log?.warn({ err: error }, 'a held write failed when storage was back: dropped');
      }
      // Unless the limit already pushed it out while it ran.
      if (this.held[0] === next) this.held.shift();
    }
    if (written > 0 && this.held.length === 0) {
      this.log?.info({ written, dropped: this.dropped }, 'writes held while storage was away are written');
      this.dropped = 0;
    }
  }
}
