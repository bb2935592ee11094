// Session events as storage keeps them, on both engines, when many arrive at once and share a group-commit batch
// (on PostgreSQL the bulk path; on SQLite the thread's own path with the domain's rules, or statements from the event
// loop without them): one session per charger transaction id, each seqNo once, whatever the order.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createStorage, type OpenStorage } from '../../src/storage/create-storage.js';
import type { FoldedEvent, SessionEventInput } from '../../src/domain/ports.js';
import { sessionFold } from '../../src/domain/transactions/session-fold.js';
import { settleStopEnergy } from '../../src/domain/transactions/energy.js';
import { storageRules } from '../../src/domain/transactions/storage-rules.js';
import { freshStorageOptions, type FreshStorage } from '../support/test-database.js';

function input(chargePointId: string, tx: string, seqNo: number, event: Partial<FoldedEvent> & Pick<FoldedEvent, 'type' | 'timestamp'>): SessionEventInput {
  return {
    chargePointId,
    chargerTransactionId: tx,
    seqNo,
    event: { evseId: 1, connectorId: 1, token: null, chargingState: null, triggerReason: 'Trigger', stopReason: event.type === 'ended' ? 'Local' : null, samples: [], flags: [], ...event },
    offline: false,
    payload: { seqNo },
    fold: sessionFold,
    settleEnergy: settleStopEnergy,
  };
}

const register = (timestamp: string, value: number, context: string) => ({ timestamp, value: String(value), measurand: 'Energy.Active.Import.Register', unit: 'Wh', phase: null, context, location: null, format: null });

for (const rules of ['with the thread rules', 'without thread rules'] as const) describe(`session events in one batch (${rules})`, () => {
  let fresh: FreshStorage;
  let storage: OpenStorage;
  before(async () => {
    fresh = await freshStorageOptions();
    storage = await createStorage({ databaseUrl: fresh.databaseUrl, dataDir: fresh.dataDir, ...(rules === 'with the thread rules' ? { threadRules: storageRules } : {}) });
  });
  after(async () => {
    await storage.close();
    await fresh.cleanup();
  });

  it('CONFORMANCE 64: a whole session sent at once, out of order and with a seqNo twice, is one session with each event once', async () => {
    const token = { idTag: 'TOK', type: 'ISO14443', status: 'Accepted' as const };
    const results = await Promise.all([
      storage.transactions.recordEvent(input('CP-BATCH', 'T-1', 2, { type: 'ended', timestamp: '2026-06-01T11:00:00.000Z', samples: [register('2026-06-01T11:00:00.000Z', 1500, 'Transaction.End')] })),
      storage.transactions.recordEvent(input('CP-BATCH', 'T-1', 1, { type: 'updated', timestamp: '2026-06-01T10:30:00.000Z', samples: [register('2026-06-01T10:30:00.000Z', 1200, 'Sample.Periodic')] })),
      storage.transactions.recordEvent(input('CP-BATCH', 'T-1', 0, { type: 'started', timestamp: '2026-06-01T10:00:00.000Z', token, samples: [register('2026-06-01T10:00:00.000Z', 1000, 'Transaction.Begin')] })),
      storage.transactions.recordEvent(input('CP-BATCH', 'T-1', 1, { type: 'updated', timestamp: '2026-06-01T10:30:00.000Z' })),
      storage.transactions.recordEvent(input('CP-BATCH', 'T-2', 0, { type: 'started', timestamp: '2026-06-01T10:00:00.000Z', token })),
    ]);
    assert.deepEqual(results.map((r) => r.duplicate), [false, false, false, true, false]);
    assert.equal(results.filter((r) => r.created).length, 2, 'each session made once');
    assert.equal(results.filter((r) => r.ended).length, 1);
    const ids = new Set(results.slice(0, 4).map((r) => r.transaction.id));
    assert.equal(ids.size, 1, 'one session for T-1');
    const session = (await storage.transactions.get([...ids][0]))!;
    assert.deepEqual(
      [session.startedAt, session.stoppedAt, session.meterStartWh, session.meterStopWh, session.energyWh, session.idTag, session.chargerTransactionId],
      ['2026-06-01T10:00:00.000Z', '2026-06-01T11:00:00.000Z', 1000, 1500, 500, 'TOK', 'T-1'],
    );
    assert.deepEqual(session.flags, []);
    assert.equal(session.meterValues.length, 3);
    // Sent again later, alone: nothing changes.
    const again = await storage.transactions.recordEvent(input('CP-BATCH', 'T-1', 2, { type: 'ended', timestamp: '2026-06-01T11:00:00.000Z' }));
    assert.equal(again.duplicate, true);
    assert.equal(again.transaction.energyWh, 500);
  });

  it('an event that only brings readings leaves the stored session alone; an end without an end reading stops at the latest one', async () => {
    const token = { idTag: 'TOK', type: 'ISO14443', status: 'Accepted' as const };
    const started = await storage.transactions.recordEvent(
      input('CP-LATEST', 'T-5', 0, { type: 'started', timestamp: '2026-06-03T10:00:00.000Z', token, samples: [register('2026-06-03T10:00:00.000Z', 1000, 'Transaction.Begin')] }),
    );
    const id = started.transaction.id;
    const revision = async () => Number((await fresh.query<{ revision: number }>(`select revision from transactions where id = ${id}`))[0].revision);
    const before = await revision();
    // Out of order: the later reading arrives first.
    for (const [seqNo, at, wh] of [[2, '10:20', 1300], [1, '10:10', 1100]] as const) {
      await storage.transactions.recordEvent(input('CP-LATEST', 'T-5', seqNo, { type: 'updated', timestamp: `2026-06-03T${at}:00.000Z`, samples: [register(`2026-06-03T${at}:00.000Z`, wh, 'Sample.Periodic')] }));
    }
    assert.equal(await revision(), before, 'readings alone do not rewrite the session row');
    const ended = await storage.transactions.recordEvent(input('CP-LATEST', 'T-5', 3, { type: 'ended', timestamp: '2026-06-03T10:30:00.000Z' }));
    assert.equal(ended.ended, true);
    let session = (await storage.transactions.get(id))!;
    assert.deepEqual([session.meterStopWh, session.energyWh], [1300, 300], 'the stop is the latest reading, not the last received');
    // A reading sent late from the charger's offline queue, taken after the others, moves the stop.
    await storage.transactions.recordEvent(input('CP-LATEST', 'T-5', 4, { type: 'updated', timestamp: '2026-06-03T10:25:00.000Z', samples: [register('2026-06-03T10:25:00.000Z', 1350, 'Sample.Periodic')] }));
    session = (await storage.transactions.get(id))!;
    assert.deepEqual([session.meterStopWh, session.energyWh], [1350, 350]);
  });

  it('a whole session in one batch that ends without an end reading stops at the reading sent in the same batch', async () => {
    const token = { idTag: 'TOK', type: 'ISO14443', status: 'Accepted' as const };
    const results = await Promise.all([
      storage.transactions.recordEvent(input('CP-LATEST', 'T-6', 0, { type: 'started', timestamp: '2026-06-03T11:00:00.000Z', token, samples: [register('2026-06-03T11:00:00.000Z', 2000, 'Transaction.Begin')] })),
      storage.transactions.recordEvent(input('CP-LATEST', 'T-6', 1, { type: 'updated', timestamp: '2026-06-03T11:10:00.000Z', samples: [register('2026-06-03T11:10:00.000Z', 2400, 'Sample.Periodic')] })),
      storage.transactions.recordEvent(input('CP-LATEST', 'T-6', 2, { type: 'ended', timestamp: '2026-06-03T11:20:00.000Z' })),
    ]);
    const session = (await storage.transactions.get(results[0].transaction.id))!;
    assert.deepEqual([session.meterStartWh, session.meterStopWh, session.energyWh], [2000, 2400, 400]);
  });

  it('a session another writer changed since this process last wrote it is never written over: that event is refused once, and its resend applies', async () => {
    const token = { idTag: 'TOK', type: 'ISO14443', status: 'Accepted' as const };
    const started = await storage.transactions.recordEvent(
      input('CP-OTHER', 'T-9', 0, { type: 'started', timestamp: '2026-06-02T10:00:00.000Z', token, samples: [register('2026-06-02T10:00:00.000Z', 1000, 'Transaction.Begin')] }),
    );
    await storage.transactions.recordEvent(input('CP-OTHER', 'T-9', 1, { type: 'updated', timestamp: '2026-06-02T10:10:00.000Z', samples: [register('2026-06-02T10:10:00.000Z', 1100, 'Sample.Periodic')] }));
    // Another process (or an operator's SQL) marks the session while this one still remembers the row it wrote.
    await fresh.query(`update transactions set flags = '["reviewed"]', revision = revision + 1 where id = ${started.transaction.id}`);
    const ended = input('CP-OTHER', 'T-9', 2, { type: 'ended', timestamp: '2026-06-02T10:30:00.000Z', samples: [register('2026-06-02T10:30:00.000Z', 1400, 'Transaction.End')] });
    if (fresh.databaseUrl) await assert.rejects(storage.transactions.recordEvent(ended), /send it again/);
    const result = await storage.transactions.recordEvent(ended);
    assert.deepEqual([result.duplicate, result.ended], [false, true]);
    const session = (await storage.transactions.get(started.transaction.id))!;
    assert.deepEqual([session.meterStopWh, session.energyWh], [1400, 400]);
    assert.deepEqual(session.flags, ['reviewed'], "the other writer's change is kept");
    assert.deepEqual(session.meterValues.map((m) => m.value), ['1000', '1100', '1400'], 'the refused send stored nothing');
  });
});
