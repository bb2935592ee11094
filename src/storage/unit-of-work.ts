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

/**
 * A buffered row that belongs to a planned session write (an event of a stop, a sample of its transactionData):
 * written only if that write applied, decided inside the batch's one statement (see GroupCommit.commitPlanned).
 */
export interface Guard {
  /** The name GroupCommit gave the planned write's CTE. */
  cte: string;
  /** The id the CTE returns when the write applied. */
  id: number;
}

/** Rows that one batch inserts in bulk just before it commits, instead of a statement per message. */
export class BatchBuffers {
  readonly meterValues: MeterValueRow[] = [];
  readonly decisions: DecisionRow[] = [];
  /** Outbox rows: they commit with the writes they describe. */
  readonly events: EventRow[] = [];
  private readonly guards = new Map<object, Guard>();

  constructor(private readonly dialect: 'sqlite' | 'postgres') {}

  /** Marks a row just pushed as written only if its planned write applies. */
  guard(row: object, guard: Guard): void {
    this.guards.set(row, guard);
  }

  /** Outside a transaction: one statement when it fits in one, else a transaction of its own. */
  async flushAtomically(db: Kysely<Database>): Promise<void> {
    // PostgreSQL: always one statement (below). SQLite: one table of at most 500 rows.
    const kinds = [this.events, this.decisions, this.meterValues].filter((rows) => rows.length > 0);
    const oneStatement = this.dialect === 'postgres' || (kinds.length <= 1 && (kinds[0]?.length ?? 0) <= 500);
    if (oneStatement) return this.flush(db);
    await db.transaction().execute((trx) => this.flush(trx));
  }

  async flush(trx: Kysely<Database>): Promise<void> {
    if (this.dialect === 'postgres') {
      await oneStatement([], this).execute(trx);
      return;
    }
    // SQLite: 500 rows of at most 12 columns stay far below its parameter limit.
    for (const [table, rows] of [['events', this.events], ['authorization_decisions', this.decisions], ['meter_values', this.meterValues]] as const) {
      for (let i = 0; i < rows.length; i += 500) await trx.insertInto(table).values(rows.slice(i, i + 500) as never).execute();
    }
  }

  /**
   * PostgreSQL: one INSERT per table, its rows sent as ONE JSON parameter and read back by json_to_recordset():
   * JSON.stringify is native and the statement text is the same for every batch, where an array per column
   * or a VALUES list costs the process more than the database does. Guarded rows are kept only when the
   * planned write they belong to applied.
   */
  insertsAsJson(): RawBuilder<unknown>[] {
    const inserts: RawBuilder<unknown>[] = [];
    for (const { table, rows } of [
      { table: 'events', rows: this.events },
      { table: 'authorization_decisions', rows: this.decisions },
      { table: 'meter_values', rows: this.meterValues },
    ] as const) {
      if (rows.length === 0) continue;
      const { names, definitions } = RECORDSETS[table];
      const guards = rows.map((row) => this.guards.get(row));
      const ctes = [...new Set(guards.flatMap((g) => (g ? [g.cte] : [])))];
      if (ctes.length === 0) {
        inserts.push(sql`insert into ${sql.raw(table)} (${names}) select ${names} from json_to_recordset(${JSON.stringify(rows)}::json) as r(${definitions})`);
        continue;
      }
      const guarded = rows.map((row, i) => (guards[i] ? { ...row, guard_cte: guards[i]!.cte, guard_id: guards[i]!.id } : row));
      inserts.push(sql`insert into ${sql.raw(table)} (${names}) select ${names}
        from json_to_recordset(${JSON.stringify(guarded)}::json) as r(${definitions}, guard_cte text, guard_id bigint)
        where r.guard_cte is null
          ${sql.join(ctes.map((cte) => sql`or (r.guard_cte = ${cte} and r.guard_id in (select id from ${sql.table(cte)}))`), sql` `)}`);
    }
    return inserts;
  }
}

/** Each buffered table's columns and their types, as json_to_recordset() reads its rows. */
const RECORDSETS = Object.fromEntries(
  Object.entries({
    events: { id: 'text', event: 'text', occurred_at: 'text', data: 'text', dispatched: 'integer' },
    authorization_decisions: {
      charge_point_id: 'text', connector_id: 'integer', id_tag: 'text', id_tag_key: 'text', reason: 'text',
      status: 'text', source: 'text', detail: 'text', decided_at: 'text',
    },
    meter_values: {
      transaction_id: 'bigint', charge_point_id: 'text', connector_id: 'integer', timestamp: 'text', measurand: 'text',
      value: 'text', unit: 'text', phase: 'text', context: 'text', location: 'text', format: 'text', received_at: 'text',
    },
  }).map(([table, columns]) => [
    table,
    {
      names: sql.raw(Object.keys(columns).map((name) => `"${name}"`).join(', ')),
      definitions: sql.raw(Object.entries(columns).map(([name, type]) => `"${name}" ${type}`).join(', ')),
    },
  ]),
) as Record<'events' | 'authorization_decisions' | 'meter_values', { names: RawBuilder<unknown>; definitions: RawBuilder<unknown> }>;

/**
 * PostgreSQL: a whole batch as ONE statement: the planned session writes and every buffered row, each a
 * data-modifying CTE. A single statement is atomic without BEGIN and COMMIT, and it is one round trip; its text
 * stays short whatever the batch size (a JSON parameter per table, not a VALUES list of thousands of parameters). It returns the
 * ids each planned write applied to.
 */
function oneStatement(planned: Array<{ name: string; cte: RawBuilder<unknown> }>, buffers: BatchBuffers): RawBuilder<{ cte: string; id: number }> {
  const ctes = [
    ...planned.map(({ name, cte }) => sql`${sql.table(name)} as (${cte})`),
    ...buffers.insertsAsJson().map((insert, i) => sql`${sql.raw(`w${i}`)} as (${insert})`),
  ];
  const applied = planned.length === 0 ? sql`select null::text as cte, null::bigint as id where false` : sql.join(planned.map(({ name }) => sql`select ${name}::text as cte, id from ${sql.table(name)}`), sql` union all `);
  if (ctes.length === 0) return sql<{ cte: string; id: number }>`select null::text as cte, null::bigint as id where false`;
  return sql<{ cte: string; id: number }>`with ${sql.join(ctes, sql`, `)} ${applied}`;
}

export type Work<T> = (trx: Transaction<Database>, buffers: BatchBuffers) => Promise<T>;

/** A write planned as a CTE of its batch's one statement (PostgreSQL). */
export interface PlannedWrite<R> {
  /** An INSERT or UPDATE … RETURNING id: the ids of the rows it wrote. */
  cte: RawBuilder<unknown>;
  /** Each input's result from the ids the CTE returned; an input whose write did not apply is read back. */
  finish(applied: Set<number>): Promise<R[]>;
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
      } else {
        const planned = this.dialect === 'postgres' && batch.every((p) => p.fill || p.bulk?.work.plan) ? await this.commitPlanned(batch) : null;
        results = planned ?? (await this.commitInTransaction(batch));
      }
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
   * PostgreSQL, a batch of session writes and buffered rows only: the reads first, then the whole batch as one
   * statement (no BEGIN, no COMMIT: two round trips in all, whatever the batch holds). Null: run it as a transaction.
   */
  private async commitPlanned(batch: Pending[]): Promise<unknown[] | null> {
    const buffers = new BatchBuffers(this.dialect);
    const plans: Array<{ name: string; members: number[]; write: PlannedWrite<unknown> }> = [];
    for (const [work, members] of this.bulkGroups(batch)) {
      const name = `planned_${plans.length}`;
      const write = await work.plan!(this.db, buffers, members.map((m) => batch[m].bulk!.input), name);
      if (!write) return null;
      plans.push({ name, members, write });
    }
    const out: unknown[] = new Array(batch.length);
    batch.forEach((pending, i) => {
      if (pending.fill) out[i] = pending.fill(buffers);
    });
    const { rows } = await oneStatement(plans.map(({ name, write }) => ({ name, cte: write.cte })), buffers).execute(this.db);
    for (const { name, members, write } of plans) {
      const applied = new Set(rows.filter((row) => row.cte === name).map((row) => Number(row.id)));
      const results = await write.finish(applied);
      members.forEach((m, k) => (out[m] = results[k]));
    }
    return out;
  }
}
