// Storage as the domain sees it (domain/ports.ts), over SQLite or PostgreSQL. Writes from chargers go
// through group commit and resolve once durable; reads and operator writes go straight to the database.
// Faults of the database or the disk are StorageUnavailableError (health.ts): session writes fail and their
// chargers resend them, writes no charger resends are held until storage is back (held-writes.ts).
import { sql, type Transaction } from 'kysely';
import type { AuthorizationDecisionInput, DomainEvent, SessionEventInput, SessionStartInput, Storage, SessionStopInput } from '../domain/ports.js';
import type { Database } from './tables.js';
import { openDatabase, type OpenedDatabase } from './db.js';
import * as chargePoints from './repositories/charge-points.js';
import * as commands from './repositories/commands.js';
import * as messages from './repositories/charger-messages.js';
import * as securityEvents from './repositories/security-events.js';
import * as chargerCertificates from './repositories/charger-certificates.js';
import * as decisions from './repositories/decisions.js';
import * as idTags from './repositories/id-tags.js';
import * as startRequests from './repositories/start-requests.js';
import * as localLists from './repositories/local-lists.js';
import * as reads from './repositories/transaction-reads.js';
import * as writes from './repositories/transaction-writes.js';
import * as starts from './repositories/transaction-starts.js';
import * as stops from './repositories/transaction-stops.js';
import * as sessionEvents from './repositories/transaction-events.js';
import * as sessionEventsBulk from './repositories/transaction-events-bulk.js';
import { planSessionEvents } from './repositories/transaction-events-plan.js';
import { SessionCache } from './session-cache.js';
import * as totals from './repositories/transaction-totals.js';
import { DeferredAppends } from './deferred-appends.js';
import { eventStorage, type WebhookQueue } from './event-storage.js';
import { StorageHealth, type HealthLog } from './health.js';
import { HeldWrites } from './held-writes.js';
import { OutboxRows } from './outbox.js';
import { GroupCommit, type BatchBuffers, type BulkWork, type Work } from './unit-of-work.js';
import type { ThreadOpName } from './sqlite-thread-ops.js';
import type { ThreadRules } from './sqlite-thread-protocol.js';
import { waitForDatabase } from './wait-for-database.js';

export interface StorageOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** PostgreSQL: how long a connection attempt or a statement may take before it counts as a fault. */
  statementTimeoutMs?: number;
  /** PostgreSQL: how long start-up waits for a database it cannot reach yet. */
  startupWaitMs?: number;
  logger?: HealthLog;
  /** The time rows are stamped as received; the domain's own times come in the inputs. */
  now?: () => Date;
  /** SQLite: the domain's rules its thread may apply itself (ThreadRules); without them, stops run on this side. */
  threadRules?: ThreadRules;
}

export interface OpenStorage extends Storage {
  /** Where the data lives (file path or redacted URL), for the start-up log. */
  readonly location: string;
  readonly groupCommit: GroupCommit;
  readonly webhookQueue: WebhookQueue;
  readonly health: StorageHealth;
  /** SQLite: the messages sent to its thread so far, statements and batch steps; null on PostgreSQL. */
  threadMessages(): number | null;
}

export async function createStorage(options: StorageOptions): Promise<OpenStorage> {
  const timeouts = { statementTimeoutMs: options.statementTimeoutMs ?? 5000 };
  if (options.databaseUrl) await waitForDatabase(options.databaseUrl, timeouts, { waitMs: options.startupWaitMs ?? 120_000, log: options.logger });
  // The probe and the pool's renewal reach the database opened just below.
  let opened: OpenedDatabase | null = null;
  const health = new StorageHealth(
    () => opened!.probe(),
    options.logger,
    () => opened?.renew(),
  );
  opened = openDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir, timeouts, threadRules: options.threadRules }, health);
  const { db, dialect, location } = opened;
  try {
    const applied = await opened.migrate();
    if (applied.length > 0) options.logger?.info({ migrations: applied, storage: location }, 'database migrated');
  } catch (error) {
    health.close();
    await db.destroy();
    throw error;
  }
  const now = () => (options.now ? options.now() : new Date()).toISOString();
  const group = new GroupCommit(db, dialect, dialect === 'postgres' ? { concurrency: 3, gatherMs: 2, gate: health } : { gate: health, thread: opened.batches });
  const held = new HeldWrites(health, options.logger);
  // Events are rows of the same batch as the write they describe (storage/outbox.ts).
  const outbox = new OutboxRows();
  // Decisions are not money and no charger resends them: held while storage is away, with their events.
  const decisionRows = new DeferredAppends<{ input: AuthorizationDecisionInput; events?: DomainEvent[] }>(
    (fill, rows) =>
      held.write(async () => {
        await group.buffer(fill);
        outbox.committed(rows.flatMap((row) => row.events ?? []));
      }),
    (buffers, rows) => {
      for (const row of rows) {
        decisions.bufferDecision(buffers, row.input);
        outbox.push(buffers, row.events);
      }
    },
  );
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
   * The same, for a session write that a batch does for all its inputs at once. Every statement is a round trip
   * (to PostgreSQL, or a message to the SQLite thread): the batch's inputs go as one statement. On PostgreSQL it is
   * planned ahead (its events written only if its write applies), or inside the batch's transaction when a rare
   * input needs that; on SQLite by the SQLite thread itself when the inputs can cross to it, or else inside the
   * batch's transaction.
   */
  const bulkWithEvents = <I, R>(write: {
    many: (trx: Transaction<Database>, buffers: BatchBuffers, inputs: I[]) => Promise<R[]>;
    plan: (buffers: BatchBuffers, inputs: I[], cte: string) => Promise<writes.WritePlan<R> | null>;
    /** `many` as the SQLite thread runs it (sqlite-thread-ops.ts), given the inputs as they cross (null: they cannot) and the batch's time. */
    thread?: { op: ThreadOpName; input(input: I): unknown };
  }) => {
    type Item = { input: I; events?: (result: R) => DomainEvent[] };
    /** Each result with its events, which join the batch's rows. */
    const withTheirEvents = (buffers: BatchBuffers, items: Item[], results: R[]) =>
      results.map((result, i) => {
        const list = items[i].events?.(result);
        outbox.push(buffers, list);
        return [result, list] as const;
      });
    const bulk: BulkWork<Item, readonly [R, DomainEvent[] | undefined]> = {
      async inTransaction(trx, buffers, items) {
        return withTheirEvents(buffers, items, await write.many(trx, buffers, items.map((item) => item.input)));
      },
      onThread: write.thread && {
        op: write.thread.op,
        args: (items) => {
          const inputs = items.map((item) => write.thread!.input(item.input));
          return inputs.includes(null) ? null : { inputs, now: now() };
        },
        finish: (buffers, items, results) => withTheirEvents(buffers, items, results as R[]),
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
          before: plan.before,
          async finish(applied) {
            const results = await plan.finish(applied);
            // Only an applied write has events (a resent start or a repeated stop describes nothing new), so an
            // input whose write did not apply had its events left out by the statement: none to announce.
            return results.map((result, i) => (result instanceof Error ? result : ([result, result === plan.predicted[i].result ? lists[i] : undefined] as const)));
          },
        };
      },
    };
    return async (input: I, events?: (result: R) => DomainEvent[]): Promise<R> => {
      const [result, made] = await group.runBulk(bulk, { input, events });
      outbox.committed(made);
      return result;
    };
  };
  const transactionIds = new starts.TransactionIdReserve();
  const startTransaction = bulkWithEvents({
    many: (trx, _buffers, inputs: SessionStartInput[]) => starts.insertStarts(trx, inputs, now(), dialect),
    plan: async (_buffers, inputs) => starts.planStarts(db, inputs, await transactionIds.take(db, inputs.length), now()),
    thread: { op: 'insertStarts', input: (input) => input },
  });
  // PostgreSQL's planned path remembers the open sessions it wrote; one written any other way is forgotten first,
  // so the plan never folds on a row it did not write last. (SQLite never plans.)
  const openSessions = new SessionCache();
  const sessionEvent = bulkWithEvents({
    many: async (trx, buffers, inputs: SessionEventInput[]) => {
      // The bulk statement is PostgreSQL's alone; SQLite applies them one after another in the batch's transaction.
      if (dialect !== 'postgres') return sessionEvents.applySessionEventsInOrder(trx, buffers, inputs, now());
      for (const input of inputs) openSessions.forget(SessionCache.key(input.chargePointId, input.chargerTransactionId));
      return sessionEventsBulk.applySessionEvents(trx, buffers, inputs, now());
    },
    plan: (buffers, inputs, cte) => planSessionEvents(db, buffers, inputs, openSessions, (count) => transactionIds.take(db, count), now(), cte),
    // On SQLite's thread, when the event carries the rules the thread has.
    thread: {
      op: 'applySessionEvents',
      input: ({ fold, settleEnergy, ...crossing }) =>
        fold === options.threadRules?.sessionFold && settleEnergy === options.threadRules?.settleStopEnergy ? crossing : null,
    },
  });
  const stopTransaction = bulkWithEvents({
    many: (trx, buffers, inputs: SessionStopInput[]) => stops.applyStops(trx, buffers, inputs, now(), dialect),
    plan: (buffers, inputs, cte) => stops.planStops(db, buffers, inputs, now(), cte),
    thread: { op: 'applyStops', input: ({ settleEnergy, ...crossing }) => (settleEnergy === options.threadRules?.settleStopEnergy ? crossing : null) },
  });

  return {
    dialect,
    location,
    groupCommit: group,
    health,
    ...eventStorage(db, group, outbox, held),
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
      // A bulk row too: a fleet of new chargers connecting at once is one insert per batch.
      register: async (id, registrationStatus) => {
        const at = now();
        await held.write(() => group.buffer((buffers) => buffers.registrations.set(id, { id, registration_status: registrationStatus, created_at: at, updated_at: at })));
      },
      // What a charger tells of itself and its connectors is answered from memory while storage is away; the rows follow.
      // Boots are rows of the batch's bulk write: a reconnect storm's thousands are one upsert, not a statement each.
      recordBoot: async (input) => {
        await held.write(() => group.buffer((buffers) => buffers.boots.set(input.id, chargePoints.bootRow(input))));
      },
      recordStatus: async (input, events) => {
        const receivedAt = now();
        await held.write(() => withEvents(events, (trx) => chargePoints.recordStatus(trx, input, receivedAt)));
      },
      // Not money and not urgent: kept out of the group-commit queue so a thousand-row update never delays an answer.
      markSeen: async (ids, at) => {
        await held.write(() => chargePoints.markSeen(db, ids, at));
      },
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
      recordEvent: sessionEvent,
      get: (id) => reads.getTransaction(db, id),
      list: (filter, query) => reads.listTransactions(db, filter, query),
      iterate: (filter, pageSize) => reads.iterateTransactions(db, filter, pageSize),
      listOpen: () => reads.listOpen(db),
      addFlags: (id, flags) => {
        openSessions.forgetId(id);
        return group.run((trx) => writes.addFlags(trx, id, flags));
      },
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
      record: async (input) => {
        await held.write(() => commands.recordCommand(db, input));
      },
      list: (id, query) => commands.listCommands(db, id, query),
    },
    // Not money, and rare: its own commit with its event, held while storage is away.
    securityEvents: {
      record: async (input, list) => {
        await held.write(() => withEvents(() => list, (trx) => securityEvents.recordSecurityEvent(trx, input)));
      },
      list: (id, query) => securityEvents.listSecurityEvents(db, id, query),
    },
    // Rare, and a charger shows its certificate again at its next handshake: written straight.
    chargerCertificates: {
      record: async (input) => {
        await held.write(() => chargerCertificates.recordChargerCertificate(db, input));
      },
      list: (id, query) => chargerCertificates.listChargerCertificates(db, id, query),
      unwarnedExpiringBefore: (before, limit) => chargerCertificates.unwarnedExpiringBefore(db, before, limit),
      markExpiryWarned: (id, at) => chargerCertificates.markExpiryWarned(db, id, at),
    },
    messages: {
      record: async (input) => {
        await held.write(() => messages.recordMessage(db, input));
      },
      list: (id, query) => messages.listMessages(db, id, query),
    },
    decisions: {
      // Listeners hear of the events once the rows are committed (decisionRows above).
      record: (input, events) => decisionRows.append({ input, events }),
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
      await health.ready();
      await sql`select 1`.execute(db);
    },
    availability: () => health.availability(),
    threadMessages: () => opened.batches?.messages ?? null,
    heldWrites: () => held.size,
    async close() {
      if (closed) return;
      closed = true;
      await decisionRows.flush().catch(() => {});
      await held.replay().catch(() => {});
      await group.settled();
      held.close();
      health.close();
      await db.destroy();
    },
  };
}
