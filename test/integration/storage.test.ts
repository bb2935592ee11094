// The storage layer on the engine this run uses (embedded SQLite, or PostgreSQL with DATABASE_URL):
// migrations, durability across reopen, group commit, the database-enforced uniqueness of a start, and pages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createStorage, type OpenStorage } from '../../src/storage/create-storage.js';
import { ClockEventFactory } from '../../src/domain/events.js';
import { settleStopEnergy } from '../../src/domain/transactions/energy.js';
import { storageRules } from '../../src/domain/transactions/storage-rules.js';
import { InvalidCursorError } from '../../src/storage/cursor.js';
import type { DomainEvent, EventName, SessionEventInput, SessionStartInput, SessionStartResult, SessionStopResult } from '../../src/domain/ports.js';
import { sessionFold } from '../../src/domain/transactions/session-fold.js';
import { freshStorageOptions, type FreshStorage } from '../support/test-database.js';

const start = (over: Partial<SessionStartInput> = {}): SessionStartInput => ({
  chargePointId: 'CP-S',
  connectorId: 1,
  idTag: 'TAG-S',
  meterStartWh: 0,
  startedAt: '2026-03-01T10:00:00.000Z',
  reservationId: null,
  authorizationStatus: 'Accepted',
  flags: [],
  ...over,
});

const sample = (timestamp: string, value: string) => ({
  timestamp, value, measurand: 'Energy.Active.Import.Register', unit: 'Wh', phase: null, context: 'Sample.Periodic', location: null, format: null,
});

const stopOf = (chargePointId: string, transactionId: number, meterStopWh: number) => ({
  chargePointId, transactionId, idTag: null, meterStopWh, stoppedAt: '2026-05-01T11:00:00.000Z', reason: 'Local', transactionData: null, samples: [], flags: [],
  settleEnergy: settleStopEnergy,
});

/** A 2.x session event: seqNo 0 opens the session with a Transaction.Begin reading, the next brings a periodic one. */
const sessionEvent = (chargePointId: string, seqNo: number, timestamp: string, wh: string): SessionEventInput => ({
  chargePointId,
  chargerTransactionId: `TX-${chargePointId}`,
  seqNo,
  event: {
    type: seqNo === 0 ? 'started' : 'updated', timestamp, evseId: 1, connectorId: 1, token: null, chargingState: null, triggerReason: 'Trigger', stopReason: null,
    samples: [{ ...sample(timestamp, wh), context: seqNo === 0 ? 'Transaction.Begin' : 'Sample.Periodic' }], flags: [],
  },
  offline: false,
  payload: { seqNo },
  fold: sessionFold,
  settleEnergy: settleStopEnergy,
});

const events = new ClockEventFactory({ now: () => new Date() });
/** An outbox event naming the session it is about. */
const event = (name: EventName, id: number): DomainEvent => events.create(name, { id });

describe('storage', () => {
  let fresh: FreshStorage;
  let storage: OpenStorage;
  // As the server opens it: SQLite's thread settles stops with the domain's rule itself.
  const threadRules = storageRules;
  const open = () => createStorage({ databaseUrl: fresh.databaseUrl, dataDir: fresh.dataDir, threadRules });
  before(async () => {
    fresh = await freshStorageOptions();
    storage = await open();
  });
  after(async () => {
    await storage.close();
    await fresh.cleanup();
  });

  it('migrations run at start, once: a reopened database keeps its rows and applies nothing again', async () => {
    const migrations: unknown[] = [];
    const { transactionId } = await storage.transactions.start(start({ chargePointId: 'CP-REOPEN' }));
    await storage.close();
    storage = await createStorage({ databaseUrl: fresh.databaseUrl, dataDir: fresh.dataDir, threadRules, logger: { info: (o) => migrations.push(o), warn: () => {}, error: () => {} } });
    assert.deepEqual(migrations, []);
    assert.equal((await storage.transactions.get(transactionId))?.chargePointId, 'CP-REOPEN');
  });

  it('group commit: five hundred concurrent writes share a handful of commits and every one is durable', async () => {
    const before = { ...storage.groupCommit.stats };
    const ids = await Promise.all(
      Array.from({ length: 500 }, (_, i) => storage.transactions.start(start({ chargePointId: `CP-G${i}`, meterStartWh: i }))),
    );
    const commits = storage.groupCommit.stats.commits - before.commits;
    assert.ok(commits < 50, `500 writes took ${commits} commits`);
    assert.equal(new Set(ids.map((r) => r.transactionId)).size, 500);
    await storage.close();
    storage = await open();
    for (const { transactionId } of ids) assert.ok(await storage.transactions.get(transactionId));
  });

  it('SQLite: its thread runs a batch of starts, stops, session events, meter values and events in two messages, not one per statement', async (t) => {
    if (storage.threadMessages() === null) return t.skip('PostgreSQL: a batch is one statement (GroupCommit.commitPlanned)');
    const opened = await Promise.all(Array.from({ length: 40 }, (_, i) => storage.transactions.start(start({ chargePointId: `CP-T${i}`, meterStartWh: 10 }))));
    await storage.groupCommit.settled();
    const before = { messages: storage.threadMessages()!, commits: storage.groupCommit.stats.commits };
    const samples = [sample('2026-05-01T10:30:00.000Z', '500')];
    const [stops] = await Promise.all([
      Promise.all(opened.slice(0, 20).map(({ transactionId }, i) => storage.transactions.stop(stopOf(`CP-T${i}`, transactionId, 1000), () => [event('transaction.stopped', transactionId)]))),
      Promise.all(opened.slice(20).map(({ transactionId }, i) => storage.transactions.addMeterValues({ chargePointId: `CP-T${i + 20}`, connectorId: 1, transactionId, samples }))),
      Promise.all(Array.from({ length: 20 }, (_, i) => storage.transactions.start(start({ chargePointId: `CP-U${i}` }), (r) => [event('transaction.started', r.transactionId)]))),
      // 2.x sessions: each opened and updated with a reading in the same batch.
      Promise.all(Array.from({ length: 20 }, (_, i) => storage.transactions.recordEvent(sessionEvent(`CP-E${i >> 1}`, i & 1, '2026-05-01T10:00:00.000Z', '700')))),
    ]);
    const commits = storage.groupCommit.stats.commits - before.commits;
    const messages = storage.threadMessages()! - before.messages;
    assert.ok(messages <= 2 * commits, `${commits} commits took ${messages} messages`);
    assert.deepEqual(stops.map((s) => s.outcome), Array(20).fill('stopped'));
    const stopped = await storage.transactions.get(opened[0].transactionId);
    assert.equal(stopped?.energyWh, 990);
    const metered = await storage.transactions.get(opened[20].transactionId);
    assert.deepEqual(metered?.meterValues.map((m) => m.value), ['500']);
    const told = (await storage.transactions.list({ chargePointId: 'CP-E3' }, { limit: 10, cursor: null })).items;
    assert.deepEqual(told.map((session) => [session.chargerTransactionId, session.meterStartWh]), [['TX-CP-E3', 700]], 'one session of its two events');
  });

  it('a write that fails in a batch fails alone: the others in its batch still commit', async () => {
    const writes = Array.from({ length: 20 }, (_, i) => storage.transactions.start(start({ chargePointId: `CP-P${i}` })));
    const poison = storage.groupCommit.run(async () => {
      throw new Error('poison');
    });
    const more = Array.from({ length: 20 }, (_, i) => storage.transactions.start(start({ chargePointId: `CP-Q${i}` })));
    await assert.rejects(poison, /poison/);
    const done = await Promise.all([...writes, ...more]);
    for (const { transactionId } of done) assert.ok(await storage.transactions.get(transactionId));
  });

  it('CONFORMANCE 54: the same start from two processes on one database gets one transaction id (a unique constraint, not memory)', async () => {
    const other = await open();
    try {
      const input = start({ chargePointId: 'CP-TWO', startedAt: '2026-03-02T10:00:00.000Z', meterStartWh: 77 });
      const [a, b] = await Promise.all([storage.transactions.start(input), other.transactions.start(input)]);
      assert.equal(a.transactionId, b.transactionId);
      assert.deepEqual([a.duplicate, b.duplicate].sort(), [false, true]);
      const page = await storage.transactions.list({ chargePointId: 'CP-TWO' }, { limit: 10 });
      assert.equal(page.items.length, 1);
    } finally {
      await other.close();
    }
  });

  it('two stops of one session racing from two processes: one stops it, the other finds it stopped', async () => {
    const other = await open();
    try {
      const { transactionId } = await storage.transactions.start(start({ chargePointId: 'CP-RACE' }));
      const stop = (meterStopWh: number) => ({
        chargePointId: 'CP-RACE', transactionId, idTag: null, meterStopWh, stoppedAt: '2026-03-01T11:00:00.000Z', reason: 'Local', transactionData: null, samples: [], flags: [],
        settleEnergy: settleStopEnergy,
      });
      const results = await Promise.all([storage.transactions.stop(stop(100)), other.transactions.stop(stop(200))]);
      assert.deepEqual(results.map((r) => r.outcome).sort(), ['already-stopped', 'stopped']);
      const stored = await storage.transactions.get(transactionId);
      const winner = results.find((r) => r.outcome === 'stopped')!;
      assert.equal(stored?.meterStopWh, winner.outcome === 'stopped' ? winner.transaction.meterStopWh : NaN);
    } finally {
      await other.close();
    }
  });

  it('starts and stops that share a batch each get the outcome they would get alone', async () => {
    const cp = 'CP-BATCH';
    const at = (minute: number) => `2026-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const resent = start({ chargePointId: cp, connectorId: 9, startedAt: at(0), meterStartWh: 5 });
    const first = await storage.transactions.start(resent);
    const open = await Promise.all(Array.from({ length: 6 }, (_, i) => storage.transactions.start(start({ chargePointId: cp, connectorId: i + 1, meterStartWh: 1000 }))));
    const other = await storage.transactions.start(start({ chargePointId: 'CP-BATCH-OTHER' }));
    await storage.transactions.stop(stopOf(cp, open[5].transactionId, 1500));
    // Everything below is queued before the batch starts: one batch, mixed outcomes.
    const twice = start({ chargePointId: cp, connectorId: 7, startedAt: at(1), meterStartWh: 9 });
    const starts = Promise.all([storage.transactions.start(twice), storage.transactions.start(twice), storage.transactions.start(resent)]);
    const stops = Promise.all([
      storage.transactions.stop(stopOf(cp, open[0].transactionId, 1700)),
      storage.transactions.stop(stopOf(cp, open[1].transactionId, 1800)),
      storage.transactions.stop(stopOf(cp, open[1].transactionId, 1900)),
      storage.transactions.stop(stopOf(cp, open[2].transactionId, 900)),
      storage.transactions.stop({ ...stopOf(cp, open[3].transactionId, 2000), samples: [sample(at(30), '1500')] }),
      storage.transactions.stop(stopOf(cp, open[5].transactionId, 1500)),
      storage.transactions.stop(stopOf(cp, other.transactionId, 10)),
      storage.transactions.stop(stopOf(cp, 2 ** 40, 10)),
      storage.transactions.stop(stopOf(cp, 999_999_999, 10)),
    ]);
    const [[a, b, c], results] = await Promise.all([starts, stops]);
    assert.equal(a.transactionId, b.transactionId);
    assert.deepEqual([a.duplicate, b.duplicate], [false, true]);
    assert.deepEqual(c, { transactionId: first.transactionId, duplicate: true, authorizationStatus: 'Accepted' });
    assert.deepEqual(results.map((r) => r.outcome), ['stopped', 'stopped', 'already-stopped', 'stopped', 'stopped', 'already-stopped', 'quarantined', 'quarantined', 'quarantined']);
    const stored = await Promise.all(open.map((t) => storage.transactions.get(t.transactionId)));
    assert.deepEqual(stored.map((t) => [t?.meterStopWh, t?.energyWh]), [[1700, 700], [1800, 800], [900, null], [2000, 1000], [null, null], [1500, 500]]);
    assert.ok(stored[2]?.flags.includes('meter-backwards'));
    assert.deepEqual(stored[3]?.meterValues.map((m) => m.value), ['1500']);
    assert.equal((await storage.transactions.get(other.transactionId))?.stoppedAt, null);
  });

  it('a batch of known sessions goes as one statement, and events are written only for the writes that applied', async () => {
    const cp = 'CP-PLAN';
    const open = await Promise.all(Array.from({ length: 4 }, (_, i) => storage.transactions.start(start({ chargePointId: cp, connectorId: i + 1, meterStartWh: 100 }))));
    await storage.transactions.stop(stopOf(cp, open[3].transactionId, 150));
    const resent = start({ chargePointId: cp, connectorId: 8, startedAt: '2026-05-02T10:00:00.000Z' });
    await storage.transactions.start(resent);
    const startedEvent = (r: SessionStartResult) => (r.duplicate ? [] : [event('transaction.started', r.transactionId)]);
    const stoppedEvent = (r: SessionStopResult) => (r.outcome === 'stopped' ? [event('transaction.stopped', r.transaction.id)] : []);
    const since = event('transaction.started', 0).id;
    const [starts, stops] = await Promise.all([
      Promise.all([
        storage.transactions.start(start({ chargePointId: cp, connectorId: 6 }), startedEvent),
        storage.transactions.start(start({ chargePointId: cp, connectorId: 7 }), startedEvent),
        storage.transactions.start(resent, startedEvent),
      ]),
      Promise.all([
        storage.transactions.stop(stopOf(cp, open[0].transactionId, 300), stoppedEvent),
        storage.transactions.stop(stopOf(cp, open[1].transactionId, 400), stoppedEvent),
        storage.transactions.stop(stopOf(cp, open[1].transactionId, 500), stoppedEvent),
        storage.transactions.stop({ ...stopOf(cp, open[2].transactionId, 600), samples: [sample('2026-05-01T10:30:00.000Z', '350')] }, stoppedEvent),
        storage.transactions.stop(stopOf(cp, open[3].transactionId, 150), stoppedEvent),
      ]),
    ]);
    assert.deepEqual(starts.map((r) => r.duplicate), [false, false, true]);
    assert.deepEqual(stops.map((r) => r.outcome), ['stopped', 'stopped', 'already-stopped', 'stopped', 'already-stopped']);
    const stored = await Promise.all(open.map((t) => storage.transactions.get(t.transactionId)));
    assert.deepEqual(stored.map((t) => t?.energyWh), [200, 300, 500, 50]);
    assert.deepEqual(stored[2]?.meterValues.map((m) => m.value), ['350']);
    const written = (await storage.events.after(since, 100)).map((e) => `${e.event} ${(e.data as { id: number }).id}`);
    assert.deepEqual(written.sort(), [
      `transaction.started ${starts[0].transactionId}`,
      `transaction.started ${starts[1].transactionId}`,
      `transaction.stopped ${open[0].transactionId}`,
      `transaction.stopped ${open[1].transactionId}`,
      `transaction.stopped ${open[2].transactionId}`,
    ].sort());
  });

  it('retention: old events and delivery attempts are deleted, but an event still to be delivered stays until it is', async () => {
    const old = (name: EventName, minute: number): DomainEvent => ({ ...events.create(name, { minute }), occurredAt: `2020-01-01T00:0${minute}:00.000Z` });
    await storage.webhooks.create({ id: 'wh-retention', url: 'http://127.0.0.1:9/hook', events: ['transaction.started'], secret: 's', at: '2020-01-01T00:00:00.000Z' });
    const [waiting, other, another] = [old('transaction.started', 1), old('charge_point.connected', 2), old('charge_point.connected', 3)];
    await storage.events.append([waiting, other, another]);
    while ((await storage.webhookQueue.queueUndispatched(1000, '2020-01-01T00:05:00.000Z')) === 1000);
    const attempt = { webhookId: 'wh-retention', eventId: waiting.id, event: waiting.event, attempt: 1, at: '2020-01-01T00:06:00.000Z', status: 500, error: 'HTTP 500', durationMs: 3 };
    await storage.webhookQueue.failed(attempt, '2020-01-01T00:07:00.000Z', 100);
    const kept = async () => new Set((await storage.events.after('', 100_000)).map((e) => e.id));

    assert.deepEqual(await storage.events.prune('2021-01-01T00:00:00.000Z'), { events: 2, deliveries: 1 });
    const left = await kept();
    assert.ok(left.has(waiting.id) && !left.has(other.id) && !left.has(another.id));
    await storage.webhookQueue.delivered({ ...attempt, attempt: 2, status: 200, error: null });
    assert.deepEqual(await storage.events.prune('2021-01-01T00:00:00.000Z'), { events: 1, deliveries: 1 });
    assert.ok(!(await kept()).has(waiting.id));
    assert.deepEqual(await storage.events.prune('2021-01-01T00:00:00.000Z'), { events: 0, deliveries: 0 });
  });

  it('a MeterValues resent after its answer was lost shows each sample once', async () => {
    const { transactionId } = await storage.transactions.start(start({ chargePointId: 'CP-MV' }));
    const input = { chargePointId: 'CP-MV', connectorId: 1, transactionId, samples: [sample('2026-03-01T10:01:00.000Z', '10'), sample('2026-03-01T10:02:00.000Z', '20')] };
    await storage.transactions.addMeterValues(input);
    await storage.transactions.addMeterValues(input);
    const detail = await storage.transactions.get(transactionId);
    assert.deepEqual(detail?.meterValues.map((m) => m.value), ['10', '20']);
  });

  it('transaction pages: newest first, keyset cursors that neither skip nor repeat, filters, and a foreign cursor refused', async () => {
    for (let i = 0; i < 7; i++) {
      await storage.transactions.start(start({ chargePointId: 'CP-PAGE', idTag: i % 2 ? 'odd' : 'EVEN', meterStartWh: i, startedAt: `2026-04-0${i + 1}T00:00:00.000Z` }));
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof storage.transactions.list>> = await storage.transactions.list({ chargePointId: 'CP-PAGE' }, { limit: 3, cursor });
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 7);
    assert.deepEqual(seen, [...seen].sort((a, b) => b - a));
    const odd = await storage.transactions.list({ chargePointId: 'CP-PAGE', idTag: 'ODD' }, { limit: 10 });
    assert.equal(odd.items.length, 3, 'ID tags match case-insensitively');
    const window = await storage.transactions.list({ chargePointId: 'CP-PAGE', from: '2026-04-02T00:00:00.000Z', to: '2026-04-04T00:00:00.000Z' }, { limit: 10 });
    assert.equal(window.items.length, 2);
    const exported: number[] = [];
    for await (const t of storage.transactions.iterate({ chargePointId: 'CP-PAGE' }, 2)) exported.push(t.id);
    assert.deepEqual(exported, [...seen].reverse());
    await assert.rejects(storage.transactions.list({}, { limit: 3, cursor: 'not-a-cursor' }), InvalidCursorError);
  });

  it('ID tags are one row per tag whatever its case, and keep the spelling they were created with', async () => {
    const input = { idTag: 'AbC123', status: 'Accepted' as const, expiryDate: null, parentIdTag: null, maxActiveTransactions: 2, label: 'card', idTokenType: null };
    await storage.idTags.put(input);
    await storage.idTags.put({ ...input, idTag: 'abc123', status: 'Blocked' });
    const stored = await storage.idTags.get('ABC123');
    assert.equal(stored?.status, 'Blocked');
    assert.equal((await storage.idTags.all()).filter((t) => t.idTag.toUpperCase() === 'ABC123').length, 1);
    await storage.transactions.start(start({ chargePointId: 'CP-TAGCOUNT', idTag: 'abc123' }));
    assert.ok((await storage.transactions.listOpen()).some((open) => open.idTag === 'abc123'));
  });

  it('an old status replayed from an offline queue goes to the history but never over a newer one', async () => {
    const status = (status: string, timestamp: string) => ({
      chargePointId: 'CP-ST', evseId: null, connectorId: 1, status, errorCode: 'NoError', info: null, vendorId: null, vendorErrorCode: null, timestamp,
    });
    await storage.chargePoints.recordBoot({ id: 'CP-ST', protocol: 'ocpp1.6', vendor: 'V', model: 'M', serialNumber: null, firmwareVersion: null, registrationStatus: 'Accepted', bootedAt: '2026-03-01T09:00:00.000Z' });
    await storage.chargePoints.recordStatus(status('Charging', '2026-03-01T10:00:00.000Z'));
    await storage.chargePoints.recordStatus(status('Available', '2026-03-01T09:30:00.000Z'));
    const cp = await storage.chargePoints.get('CP-ST');
    assert.equal(cp?.connectors[0].status, 'Charging');
  });
});
