// Storage as the domain sees it (domain/ports.ts), over SQLite or PostgreSQL. Writes from chargers go
// through group commit and resolve once durable; reads and operator writes go straight to the database.
import { sql, type Transaction } from 'kysely';
import type { AuthorizationDecisionInput, DomainEvent, StartTransactionInput, Storage, StopTransactionInput } from '../domain/ports.js';
import type { Database } from './tables.js';
import { openDatabase } from './db.js';
import { migrateToLatest } from './migrate.js';
import * as chargePoints from './repositories/charge-points.js';
import * as commands from './repositories/commands.js';
import * as decisions from './repositories/decisions.js';
import * as idTags from './repositories/id-tags.js';
import * as startRequests from './repositories/start-requests.js';
import * as localLists from './repositories/local-lists.js';
import * as reads from './repositories/transaction-reads.js';
import * as writes from './repositories/transaction-writes.js';
import * as starts from './repositories/transaction-starts.js';
import * as stops from './repositories/transaction-stops.js';
import * as totals from './repositories/transaction-totals.js';
import { DeferredAppends } from './deferred-appends.js';
import { eventStorage, type WebhookQueue } from './event-storage.js';
import { OutboxRows } from './outbox.js';
import { GroupCommit, type BatchBuffers, type BulkWork, type Work } from './unit-of-work.js';

export interface StorageOptions {
  databaseUrl: string | null;
  dataDir: string;
  logger?: { info(obj: object, msg: string): void };
  /** The time rows are stamped as received; the domain's own times come in the inputs. */
  now?: () => Date;
}

export interface OpenStorage extends Storage {
  /** Where the data lives (file path or redacted URL), for the start-up log. */
  readonly location: string;
  readonly groupCommit: GroupCommit;
  readonly webhookQueue: WebhookQueue;
}

export async function createStorage(options: StorageOptions): Promise<OpenStorage> {
  const { db, dialect, location } = openDatabase(options);
  try {
    const applied = await migrateToLatest(db, dialect);
    if (applied.length > 0) options.logger?.info({ migrations: applied, storage: location }, 'database migrated');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const now = () => (options.now ? options.now() : new Date()).toISOString();
  const group = dialect === 'postgres' ? new GroupCommit(db, dialect, 3, 2) : new GroupCommit(db, dialect, 1);
  // Events are rows of the same batch as the write they describe (storage/outbox.ts).
  const outbox = new OutboxRows();
  const decisionRows = new DeferredAppends<{ input: AuthorizationDecisionInput; events?: DomainEvent[] }>(group, (buffers, rows) => {
    for (const row of rows) {
      decisions.bufferDecision(buffers, row.input);
      outbox.push(buffers, row.events);
    }
  });
  let closed = false;

  /** A write whose result names its events: both in one group-commit item, listeners told after the commit. */
  const withEvents = async <T>(events: ((result: T) => DomainEvent[]) | undefined, work: Work<T>): Promise<T> => {
    const [result, made] = await group.run(async (trx, buffers) => {
      const out = await work(trx, buffers);
      const list = events?.(out);
      outbox.push(buffers, list);
      return [out, list] as const;
    });
    outbox.committed(made);
    return result;
  };

  /**
   * The same, for a session write that a batch does for all its inputs at once. SQLite's statements are calls in
   * this process, so each input runs alone there. On PostgreSQL every statement is a round trip: the batch's
   * inputs go as one statement, planned ahead (its events written only if its write applies), or inside the
   * batch's transaction when a rare input needs that.
   */
  const bulkWithEvents = <I, R>(write: {
    one: (trx: Transaction<Database>, buffers: BatchBuffers, input: I) => Promise<R>;
    many: (trx: Transaction<Database>, buffers: BatchBuffers, inputs: I[]) => Promise<R[]>;
    plan: (buffers: BatchBuffers, inputs: I[], cte: string) => Promise<writes.WritePlan<R> | null>;
  }) => {
    type Item = { input: I; events?: (result: R) => DomainEvent[] };
    const bulk: BulkWork<Item, readonly [R, DomainEvent[] | undefined]> = {
      async inTransaction(trx, buffers, items) {
        const results = await write.many(trx, buffers, items.map((item) => item.input));
        return results.map((result, i) => {
          const list = items[i].events?.(result);
          outbox.push(buffers, list);
          return [result, list] as const;
        });
      },
      async plan(_db, buffers, items, cte) {
        const plan = await write.plan(buffers, items.map((item) => item.input), cte);
        if (!plan) return null;
        const lists = plan.predicted.map(({ result, guardId }, i) => {
          const list = items[i].events?.(result);
          outbox.push(buffers, list, guardId === null ? undefined : { cte, id: guardId });
          return list;
        });
        return {
          cte: plan.cte,
          async finish(applied) {
            const results = await plan.finish(applied);
            // Only an applied write has events (a resent start or a repeated stop describes nothing new), so an
            // input whose write did not apply had its events left out by the statement: none to announce.
            return results.map((result, i) => [result, result === plan.predicted[i].result ? lists[i] : undefined] as const);
          },
        };
      },
    };
    return async (input: I, events?: (result: R) => DomainEvent[]): Promise<R> => {
      if (dialect !== 'postgres') return withEvents(events, (trx, buffers) => write.one(trx, buffers, input));
      const [result, made] = await group.runBulk(bulk, { input, events });
      outbox.committed(made);
      return result;
    };
  };
  const transactionIds = new starts.TransactionIdReserve();
  const startTransaction = bulkWithEvents({
    one: (trx, _buffers, input: StartTransactionInput) => starts.insertStart(trx, input, now()),
    many: (trx, _buffers, inputs) => starts.insertStarts(trx, inputs, now()),
    plan: async (_buffers, inputs) => starts.planStarts(db, inputs, await transactionIds.take(db, inputs.length), now()),
  });
  const stopTransaction = bulkWithEvents({
    one: (trx, buffers, input: StopTransactionInput) => stops.applyStop(trx, buffers, input, now()),
    many: (trx, buffers, inputs) => stops.applyStops(trx, buffers, inputs, now()),
    plan: (buffers, inputs, cte) => stops.planStops(db, buffers, inputs, now(), cte),
  });

  return {
    dialect,
    location,
    groupCommit: group,
    ...eventStorage(db, group, outbox),
    chargePoints: {
      get: (id) => chargePoints.getChargePoint(db, id),
      list: (query) => chargePoints.listChargePoints(db, query),
      put: async (input) => {
        await group.run((trx) => chargePoints.putChargePoint(trx, input, now()));
        return (await chargePoints.getChargePoint(db, input.id))!;
      },
      delete: (id) =>
        group.run(async (trx) => {
          await localLists.deleteLocalList(trx, id);
          return chargePoints.deleteChargePoint(trx, id);
        }),
      recordBoot: (input) => group.run((trx) => chargePoints.recordBoot(trx, input)),
      recordStatus: async (input, events) => {
        await withEvents(events, (trx) => chargePoints.recordStatus(trx, input, now()));
      },
      // Not money and not urgent: kept out of the group-commit queue so a thousand-row update never delays an answer.
      markSeen: (ids, at) => chargePoints.markSeen(db, ids, at),
    },
    idTags: {
      get: (idTag) => idTags.getIdTag(db, idTag),
      list: (query) => idTags.listIdTags(db, query),
      all: () => idTags.allIdTags(db),
      put: (input) => group.run((trx) => idTags.putIdTag(trx, input, now())),
      // One group.run: the whole import commits or rolls back as one unit.
      putMany: (inputs, options) => group.run((trx) => idTags.putIdTags(trx, inputs, now(), options)),
      delete: (idTag) => group.run((trx) => idTags.deleteIdTag(trx, idTag)),
    },
    transactions: {
      start: startTransaction,
      stop: stopTransaction,
      addMeterValues: async (input, events) => {
        if (input.samples.length === 0) return;
        await group.buffer((buffers) => {
          writes.bufferMeterValues(buffers, input, now());
          outbox.push(buffers, events);
        });
        outbox.committed(events);
      },
      get: (id) => reads.getTransaction(db, id),
      list: (filter, query) => reads.listTransactions(db, filter, query),
      iterate: (filter, pageSize) => reads.iterateTransactions(db, filter, pageSize),
      listOpen: () => reads.listOpen(db),
      addFlags: (id, flags) => group.run((trx) => writes.addFlags(trx, id, flags)),
      totals: (groupBy, filter, page) => totals.sessionTotals(db, dialect, groupBy, filter, page),
    },
    startRequests: {
      create: (record) => group.run((trx) => startRequests.createStartRequest(trx, record)),
      get: (id) => startRequests.getStartRequest(db, id),
      settle: (id, change) => group.run((trx) => startRequests.settleStartRequest(trx, id, change)),
      matchStart: (input) => group.run((trx) => startRequests.matchStart(trx, input)),
      chargersWithPending: (now) => startRequests.chargersWithPending(db, now),
    },
    // Not money and not the chargers' own messages: written straight, outside the group-commit queue.
    commands: {
      record: (input) => commands.recordCommand(db, input),
      list: (id, query) => commands.listCommands(db, id, query),
    },
    decisions: {
      record: async (input, events) => {
        await decisionRows.append({ input, events });
        outbox.committed(events);
      },
      list: (filter, query) => decisions.listDecisions(db, filter, query),
    },
    localLists: {
      get: (id) => localLists.getLocalList(db, id),
      entries: (id) => localLists.localListEntries(db, id),
      recordAccepted: (input) => group.run((trx) => localLists.recordAccepted(trx, input)),
      recordNotSupported: (id, at) => group.run((trx) => localLists.recordNotSupported(trx, id, at)),
      recordLimits: (id, limits, at) => group.run((trx) => localLists.recordLimits(trx, id, limits, at)),
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      if (closed) return;
      closed = true;
      await decisionRows.flush().catch(() => {});
      await group.settled();
      await db.destroy();
    },
  };
}
