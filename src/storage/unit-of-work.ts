// Group commit: the writes of many chargers, queued while the previous batch was committing, go to the
// database as one transaction, and each caller's promise resolves only after that commit returned.
// One commit (one fsync) then carries hundreds of messages, which is what makes durable-before-answered fast.
// A batch that fails is retried one write at a time, so one poison write fails alone and the rest commit.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { AuthorizationDecisionsTable, Database, EventsTable, MeterValuesTable } from './tables.js';
import type { Insertable } from 'kysely';

export type MeterValueRow = Insertable<MeterValuesTable>;
export type DecisionRow = Insertable<AuthorizationDecisionsTable>;
export type EventRow = Insertable<EventsTable>;

/** Rows that one batch inserts in bulk just before it commits, instead of a statement per message. */
export class BatchBuffers {
  readonly meterValues: MeterValueRow[] = [];
  readonly decisions: DecisionRow[] = [];
  /** Outbox rows: they commit with the writes they describe. */
  readonly events: EventRow[] = [];

  constructor(private readonly dialect: 'sqlite' | 'postgres') {}

  /** Outside a transaction: one statement when it fits in one, else a transaction of its own. */
  async flushAtomically(db: Kysely<Database>): Promise<void> {
    // PostgreSQL: always one statement (below). SQLite: one table of at most 500 rows.
    const kinds = [this.events, this.decisions, this.meterValues].filter((rows) => rows.length > 0);
    const oneStatement = this.dialect === 'postgres' || (kinds.length <= 1 && (kinds[0]?.length ?? 0) <= 500);
    if (oneStatement) return this.flush(db);
    await db.transaction().execute((trx) => this.flush(trx));
  }

  async flush(trx: Kysely<Database>): Promise<void> {
    if (this.dialect === 'postgres') return insertAllAsArrays(trx, this);
    // SQLite: 500 rows of at most 12 columns stay far below its parameter limit.
    for (const [table, rows] of [['events', this.events], ['authorization_decisions', this.decisions], ['meter_values', this.meterValues]] as const) {
      for (let i = 0; i < rows.length; i += 500) await trx.insertInto(table).values(rows.slice(i, i + 500) as never).execute();
    }
  }
}

/**
 * PostgreSQL: every buffered row of a batch in ONE statement, each table fed by unnest() of one array per
 * column, joined as data-modifying CTEs. The text stays short whatever the batch size (a VALUES list of
 * thousands of parameters costs more to send, parse and plan than to insert), a single statement is atomic
 * without BEGIN and COMMIT, and it is one round trip.
 */
async function insertAllAsArrays(trx: Kysely<Database>, buffers: BatchBuffers): Promise<void> {
  const inserts: RawBuilder<unknown>[] = [];
  const { events, decisions, meterValues } = buffers;
  if (events.length > 0) {
    const col = <K extends keyof EventRow>(key: K) => events.map((row) => row[key] ?? null);
    inserts.push(sql`insert into events (id, event, occurred_at, data, dispatched)
      select * from unnest(${col('id')}::text[], ${col('event')}::text[], ${col('occurred_at')}::text[], ${col('data')}::text[],
        ${events.map((row) => row.dispatched ?? 0)}::integer[])`);
  }
  if (decisions.length > 0) {
    const col = <K extends keyof DecisionRow>(key: K) => decisions.map((row) => row[key] ?? null);
    inserts.push(sql`insert into authorization_decisions (charge_point_id, connector_id, id_tag, id_tag_key, reason, status, source, detail, decided_at)
      select * from unnest(${col('charge_point_id')}::text[], ${col('connector_id')}::integer[], ${col('id_tag')}::text[],
        ${col('id_tag_key')}::text[], ${col('reason')}::text[], ${col('status')}::text[], ${col('source')}::text[],
        ${col('detail')}::text[], ${col('decided_at')}::text[])`);
  }
  if (meterValues.length > 0) {
    const col = <K extends keyof MeterValueRow>(key: K) => meterValues.map((row) => row[key] ?? null);
    inserts.push(sql`insert into meter_values (transaction_id, charge_point_id, connector_id, timestamp, measurand, value, unit, phase, context, location, format, received_at)
      select * from unnest(
        ${col('transaction_id')}::bigint[], ${col('charge_point_id')}::text[], ${col('connector_id')}::integer[],
        ${col('timestamp')}::text[], ${col('measurand')}::text[], ${col('value')}::text[], ${col('unit')}::text[],
        ${col('phase')}::text[], ${col('context')}::text[], ${col('location')}::text[], ${col('format')}::text[],
        ${col('received_at')}::text[])`);
  }
  if (inserts.length === 0) return;
  if (inserts.length === 1) {
    await inserts[0].execute(trx);
    return;
  }
  const ctes = inserts.map((insert, i) => sql`${sql.raw(`w${i}`)} as (${insert})`);
  await sql`with ${sql.join(ctes, sql`, `)} select 1`.execute(trx);
}

export type Work<T> = (trx: Transaction<Database>, buffers: BatchBuffers) => Promise<T>;

/**
 * Work that handles every input of its kind in a batch at once: a few statements for hundreds of messages,
 * where one statement each would make the batch, and every answer waiting on it, as long as their round trips.
 * Identified by reference, so define it once. Returns one result per input, in order.
 */
export type BulkWork<I, R> = (trx: Transaction<Database>, buffers: BatchBuffers, inputs: I[]) => Promise<R[]>;

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

export class GroupCommit {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: Array<() => void> = [];
  readonly stats: GroupCommitStats = { commits: 0, writes: 0 };

  /**
   * @param concurrency batches committing at once. SQLite has one connection, so 1. PostgreSQL takes more:
   *   a batch is built while the one before waits for its fsync, which keeps the tail latency low. Writes of
   *   one charger never overlap (it waits for each answer), so batches never reorder a charger's messages.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
    private readonly concurrency = 1,
    private readonly maxBatch = 2000,
  ) {}

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
    // Let the event loop read sockets first: more writes join this batch, and with the synchronous
    // SQLite driver a busy queue would otherwise never give timers and I/O a turn.
    setImmediate(() => {
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
    let results: unknown[];
    try {
      if (batch.every((pending) => pending.fill)) {
        // A single INSERT statement is atomic on its own; skipping BEGIN and COMMIT saves two round trips.
        const buffers = new BatchBuffers(this.dialect);
        for (const pending of batch) pending.fill!(buffers);
        await buffers.flushAtomically(this.db);
        results = batch.map(() => undefined);
      } else results = await this.db.transaction().execute(async (trx) => {
        const buffers = new BatchBuffers(this.dialect);
        const out: unknown[] = new Array(batch.length);
        // Each bulk work runs once, where its first input stands in the batch, for all of its inputs.
        const bulks = new Map<BulkWork<unknown, unknown>, number[]>();
        batch.forEach((pending, i) => {
          if (!pending.bulk) return;
          const members = bulks.get(pending.bulk.work);
          if (members) members.push(i);
          else bulks.set(pending.bulk.work, [i]);
        });
        for (const [i, pending] of batch.entries()) {
          if (pending.fill) out[i] = pending.fill(buffers);
          else if (pending.work) out[i] = await pending.work(trx, buffers);
          else {
            const members = bulks.get(pending.bulk!.work);
            if (!members || members[0] !== i) continue;
            const results = await pending.bulk!.work(trx, buffers, members.map((m) => batch[m].bulk!.input));
            members.forEach((m, k) => (out[m] = results[k]));
          }
        }
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
