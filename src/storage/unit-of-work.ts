// Group commit: the writes of many chargers, queued while the previous batch was committing, go to the
// database as one transaction, and each caller's promise resolves only after that commit returned.
// One commit (one fsync) then carries hundreds of messages, which is what makes durable-before-answered fast.
// A batch that fails is retried one write at a time, so one poison write fails alone and the rest commit.
import type { Kysely, Transaction } from 'kysely';
import type { Database, MeterValuesTable } from './tables.js';
import type { Insertable } from 'kysely';

export type MeterValueRow = Insertable<MeterValuesTable>;

/** Rows that one batch inserts in bulk just before it commits, instead of a statement per message. */
export class BatchBuffers {
  readonly meterValues: MeterValueRow[] = [];

  async flush(trx: Transaction<Database>): Promise<void> {
    // 12 columns a row: 500 rows stay far below SQLite's and PostgreSQL's parameter limits.
    for (let i = 0; i < this.meterValues.length; i += 500) {
      await trx.insertInto('meter_values').values(this.meterValues.slice(i, i + 500)).execute();
    }
  }
}

export type Work<T> = (trx: Transaction<Database>, buffers: BatchBuffers) => Promise<T>;

interface Pending {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface GroupCommitStats {
  commits: number;
  writes: number;
}

export class GroupCommit {
  private queue: Pending[] = [];
  private running = false;
  private idle: Array<() => void> = [];
  readonly stats: GroupCommitStats = { commits: 0, writes: 0 };

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatch = 2000,
  ) {}

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
  }

  /** Resolves once every queued write has been committed or failed. */
  settled(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        // Let the event loop read sockets first: more writes join this batch, and with the synchronous
        // SQLite driver a busy queue would otherwise never give timers and I/O a turn.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const batch = this.queue.splice(0, this.maxBatch);
        await this.commit(batch);
      }
    } finally {
      this.running = false;
      for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    let results: unknown[];
    try {
      results = await this.db.transaction().execute(async (trx) => {
        const buffers = new BatchBuffers();
        const out: unknown[] = [];
        for (const pending of batch) out.push(await pending.work(trx, buffers));
        await buffers.flush(trx);
        return out;
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // Everything was rolled back: redo each write in its own transaction to find the one that fails.
      for (const pending of batch) await this.commit([pending]);
      return;
    }
    this.stats.commits += 1;
    this.stats.writes += batch.length;
    batch.forEach((pending, i) => pending.resolve(results[i]));
  }
}
