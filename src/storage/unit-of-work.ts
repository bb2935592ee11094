// Group commit: the writes of many chargers, queued while the previous batch was committing, go to the
// database as one transaction, and each caller's promise resolves only after that commit returned.
// One commit (one fsync) then carries hundreds of messages, which is what makes durable-before-answered fast.
// A batch that fails is retried one write at a time, so one poison write fails alone and the rest commit.
// A batch that fails because storage is away (health.ts) fails whole, at once: its writes may not be retried
// against a database that is not there, and their chargers resend them (OCPP 1.6 §3.7.1).
import type { Kysely, RawBuilder, Transaction } from 'kysely';
import type { Database } from './tables.js';
import { BatchBuffers, oneStatement } from './batch-buffers.js';
import { StorageUnavailableError } from './faults.js';
import type { SqliteBatchStep } from './sqlite-thread-protocol.js';
import type { ThreadOpName } from './sqlite-thread-ops.js';

export { BatchBuffers, type DecisionRow, type EventRow, type Guard, type MeterValueRow } from './batch-buffers.js';

export type Work<T> = (trx: Transaction<Database>, buffers: BatchBuffers) => Promise<T>;

/** A write planned as a CTE of its batch's one statement (PostgreSQL). */
export interface PlannedWrite<R> {
  /** An INSERT or UPDATE … RETURNING id: the ids of the rows it wrote. */
  cte: RawBuilder<unknown>;
  /** CTEs the write needs before its own, named `<cte>_<suffix>`. */
  before?: Array<{ suffix: string; cte: RawBuilder<unknown> }>;
  /**
   * Each input's result from the ids the CTE returned; an input whose write did not apply is read back. An
   * Error in place of a result fails that input alone (its write did not happen; the charger sends it again).
   */
  finish(applied: Set<number>): Promise<Array<R | Error>>;
}

/**
 * Work that handles every input of its kind in a batch at once: a few statements for hundreds of messages,
 * where one statement each would make the batch, and every answer waiting on it, as long as their round trips.
 * Identified by reference, so define it once. Returns one result per input, in order.
 */
export interface BulkWork<I, R> {
  /** Every input of the batch, inside the batch's transaction. */
  inTransaction(trx: Transaction<Database>, buffers: BatchBuffers, inputs: I[]): Promise<R[]>;
  /**
   * PostgreSQL: the reads done now, outside any transaction, and the write as a CTE of the batch's one
   * statement, named `cte`. Null when some input needs the transaction (a rare case): the batch then runs as one.
   */
  plan?(db: Kysely<Database>, buffers: BatchBuffers, inputs: I[], cte: string): Promise<PlannedWrite<R> | null>;
  /** SQLite: the same write as a named one the SQLite thread runs itself (sqlite-thread-ops.ts). */
  onThread?: {
    op: ThreadOpName;
    /** Its arguments, plain data, for every input of the batch; null when some input cannot cross (it then runs here). */
    args(inputs: I[]): unknown;
    /** Each input's result from the thread's, on this side, inside the batch (rows it adds join the commit). */
    finish(buffers: BatchBuffers, inputs: I[], results: unknown[]): R[];
  };
}

/** SQLite on its own thread: a batch's transaction run there in a step or two, not a message per statement. */
export interface ThreadBatches {
  /** Runs `script` holding the connection; `step` sends one step and resolves with each named write's results. */
  run<T>(script: (step: (step: SqliteBatchStep) => Promise<unknown[][]>) => Promise<T>): Promise<T>;
  /** Messages sent to the thread so far: statements and steps. */
  readonly messages: number;
}

/** Work that only queues rows for the batch's bulk insert and reads nothing. */
export type BufferWork = (buffers: BatchBuffers) => void;

interface Pending {
  /** Work inside the batch's transaction, one input of a bulk work, or rows for its bulk insert alone. */
  work: Work<unknown> | null;
  bulk?: { work: BulkWork<unknown, unknown>; input: unknown };
  fill: BufferWork | null;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface GroupCommitStats {
  commits: number;
  writes: number;
}

/** What the group commit asks of StorageHealth before each batch. */
export interface CommitGate {
  readonly available: boolean;
  /** Resolves when storage may be used (at once, or after the running check); throws while it is down. */
  ready(): Promise<void>;
  /** Writes refused while down. */
  refused: number;
}


/** Writes waiting that make a batch worth starting without gathering more. */
const GATHER_UNTIL = 16;

export interface GroupCommitOptions {
  /**
   * Batches committing at once. SQLite has one connection, so 1. PostgreSQL takes more:
   * a batch is built while the one before waits for its fsync, which keeps the tail latency low. Writes of
   * one charger never overlap (it waits for each answer), so batches never reorder a charger's messages.
   */
  concurrency?: number;
  /**
   * While a batch is committing and only a few writes wait, how long the next batch waits for
   * more to join it. Under light load batches of one or two writes cost a statement each, and each statement
   * costs the process socket writes: gathering for 2 ms on PostgreSQL took the p99 at 1,000 CALLs/s from
   * 23–32 ms to 20–24 ms in 8 runs of 9, for about 1.5 ms more at the median (docs/BENCHMARKS.md). An idle
   * server starts a batch at once.
   */
  gatherMs?: number;
  maxBatch?: number;
  gate?: CommitGate;
  /** SQLite: batches of buffered rows and named writes go to its thread whole. */
  thread?: ThreadBatches | null;
}

export class GroupCommit {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: Array<() => void> = [];
  readonly stats: GroupCommitStats = { commits: 0, writes: 0 };
  private readonly concurrency: number;
  private readonly gatherMs: number;
  private readonly maxBatch: number;
  private readonly gate: CommitGate;
  private readonly thread: ThreadBatches | null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
    options: GroupCommitOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 1;
    this.gatherMs = options.gatherMs ?? 0;
    this.maxBatch = options.maxBatch ?? 2000;
    this.gate = options.gate ?? { available: true, ready: async () => {}, refused: 0 };
    this.thread = options.thread ?? null;
  }

  run<T>(work: Work<T>): Promise<T> {
    return this.enqueue(work, null) as Promise<T>;
  }

  /** One input for `work`, which the batch runs once for all the inputs it was given. */
  runBulk<I, R>(work: BulkWork<I, R>, input: I): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ work: null, bulk: { work: work as BulkWork<unknown, unknown>, input }, fill: null, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Rows for the bulk insert alone. A batch made only of these is one statement, with no BEGIN and COMMIT around it. */
  buffer(work: BufferWork): Promise<void> {
    return this.enqueue(null, work) as Promise<void>;
  }

  private enqueue(work: Work<unknown> | null, fill: BufferWork | null): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ work, fill, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once every queued write has been committed or failed. */
  settled(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.concurrency || this.queue.length === 0) return;
    this.scheduled = true;
    const gather = this.gatherMs > 0 && this.inFlight > 0 && this.queue.length < GATHER_UNTIL;
    // Let the event loop read sockets first: more writes join this batch, and with the synchronous
    // SQLite driver a busy queue would otherwise never give timers and I/O a turn.
    const later = gather ? (start: () => void) => setTimeout(start, this.gatherMs) : setImmediate;
    later(() => {
      this.scheduled = false;
      if (this.inFlight >= this.concurrency || this.queue.length === 0) return;
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.commit(batch).finally(() => {
        this.inFlight -= 1;
        if (this.inFlight === 0 && this.queue.length === 0) for (const resolve of this.idle.splice(0)) resolve();
        this.schedule();
      });
      this.schedule();
    });
  }

  private async commit(batch: Pending[]): Promise<void> {
    if (!this.gate.available) {
      try {
        await this.gate.ready();
      } catch (error) {
        // Down: fail at once, not after a timeout, so the chargers resend soon.
        this.gate.refused += batch.length;
        for (const pending of batch) pending.reject(error);
        return;
      }
    }
    let results: unknown[];
    try {
      if (!this.thread && batch.every((pending) => pending.fill)) {
        // A single INSERT statement is atomic on its own; skipping BEGIN and COMMIT saves two round trips.
        const buffers = new BatchBuffers(this.dialect);
        for (const pending of batch) pending.fill!(buffers);
        await buffers.flushAtomically(this.db);
        results = batch.map(() => undefined);
      } else {
        const planned = this.dialect === 'postgres' && batch.every((p) => p.fill || p.bulk?.work.plan) ? await this.commitPlanned(batch) : null;
        const onThread = this.thread && batch.every((p) => p.fill || p.bulk?.work.onThread) ? await this.commitOnThread(batch, this.thread) : null;
        results = planned ?? onThread ?? (await this.commitInTransaction(batch));
      }
    } catch (error) {
      if (batch.length === 1 || error instanceof StorageUnavailableError) {
        // Storage away: every write of the batch fails (a statement cut off mid-flight may or may not have
        // committed); its charger resends it, and the idempotency rules recognise one that did commit.
        for (const pending of batch) pending.reject(error);
        return;
      }
      // Everything was rolled back: redo each write in its own transaction to find the one that fails.
      for (const pending of batch) await this.commit([pending]);
      return;
    }
    this.stats.commits += 1;
    this.stats.writes += batch.length;
    batch.forEach((pending, i) => (results[i] instanceof Error ? pending.reject(results[i]) : pending.resolve(results[i])));
  }

  /** Each bulk work's inputs, by the position of its first input in the batch. */
  private bulkGroups(batch: Pending[]): Map<BulkWork<unknown, unknown>, number[]> {
    const groups = new Map<BulkWork<unknown, unknown>, number[]>();
    batch.forEach((pending, i) => {
      if (!pending.bulk) return;
      const members = groups.get(pending.bulk.work);
      if (members) members.push(i);
      else groups.set(pending.bulk.work, [i]);
    });
    return groups;
  }

  private async commitInTransaction(batch: Pending[]): Promise<unknown[]> {
    const groups = this.bulkGroups(batch);
    return this.db.transaction().execute(async (trx) => {
      const buffers = new BatchBuffers(this.dialect);
      const out: unknown[] = new Array(batch.length);
      for (const [i, pending] of batch.entries()) {
        if (pending.fill) out[i] = pending.fill(buffers);
        else if (pending.work) out[i] = await pending.work(trx, buffers);
        else {
          // Each bulk work runs once, where its first input stands in the batch, for all of its inputs.
          const members = groups.get(pending.bulk!.work)!;
          if (members[0] !== i) continue;
          const results = await pending.bulk!.work.inTransaction(trx, buffers, members.map((m) => batch[m].bulk!.input));
          members.forEach((m, k) => (out[m] = results[k]));
        }
      }
      await buffers.flush(trx);
      return out;
    });
  }

  /**
   * SQLite, a batch of named writes and buffered rows only: run by the SQLite thread itself, the writes in one
   * message and their rows with the commit in a second (a batch of rows alone: one message in all). The rows
   * this side adds (the writes' events) are made from the writes' results, so they commit with them. Null when
   * some input cannot cross to the thread: the batch then runs as a transaction of statements.
   */
  private async commitOnThread(batch: Pending[], thread: ThreadBatches): Promise<unknown[] | null> {
    const groups = [...this.bulkGroups(batch)].map(([work, members]) => ({ work, members, inputs: members.map((m) => batch[m].bulk!.input) }));
    const ops = groups.map(({ work, inputs }) => ({ op: work.onThread!.op, args: work.onThread!.args(inputs) }));
    if (ops.some((op) => op.args === null)) return null;
    return thread.run(async (step) => {
      const results = ops.length > 0 ? await step({ begin: true, ops }) : [];
      const buffers = new BatchBuffers(this.dialect);
      const out: unknown[] = new Array(batch.length);
      // This side's rows in the order of the batch, as a transaction of the batch would buffer them.
      for (const [i, pending] of batch.entries()) {
        if (pending.fill) {
          out[i] = pending.fill(buffers);
          continue;
        }
        const k = groups.findIndex((group) => group.members[0] === i);
        if (k < 0) continue;
        const { work, members, inputs } = groups[k];
        const finished = work.onThread!.finish(buffers, inputs, results[k]);
        members.forEach((m, j) => (out[m] = finished[j]));
      }
      await step({ begin: ops.length === 0, rows: buffers.rows(), commit: true });
      return out;
    });
  }

  /**
   * PostgreSQL, a batch of session writes and buffered rows only: the reads first, then the whole batch as one
   * statement (no BEGIN, no COMMIT: two round trips in all, whatever the batch holds). Null: run it as a transaction.
   */
  private async commitPlanned(batch: Pending[]): Promise<unknown[] | null> {
    const buffers = new BatchBuffers(this.dialect);
    // Each kind plans with its own reads, side by side on the pool's connections.
    const plans = await Promise.all(
      [...this.bulkGroups(batch)].map(async ([work, members], k) => {
        const name = `planned_${k}`;
        const write = await work.plan!(this.db, buffers, members.map((m) => batch[m].bulk!.input), name);
        return write && { name, members, write };
      }),
    );
    if (plans.some((plan) => plan === null)) return null;
    const out: unknown[] = new Array(batch.length);
    batch.forEach((pending, i) => {
      if (pending.fill) out[i] = pending.fill(buffers);
    });
    const { rows } = await oneStatement(plans.map((plan) => ({ name: plan!.name, cte: plan!.write.cte, before: plan!.write.before })), buffers).execute(this.db);
    for (const { name, members, write } of plans as NonNullable<(typeof plans)[number]>[]) {
      const applied = new Set(rows.filter((row) => row.cte === name).map((row) => Number(row.id)));
      const results = await write.finish(applied);
      members.forEach((m, k) => (out[m] = results[k]));
    }
    return out;
  }
}
