import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger } from '../../src/simulator/ledger.js';
import { compareLedger, type MeterValueRow, type TransactionRow } from '../../src/simulator/verify-ledger.js';

const T0 = '2026-12-01T10:00:00.000Z';
const T1 = '2026-12-01T10:01:00.000Z';
const T2 = '2026-12-01T10:02:00.000Z';

function ledgerOfOneSession(): Ledger {
  const ledger = new Ledger();
  ledger.record('CP-1', 'Authorize', { idTag: 'A' }, { idTagInfo: { status: 'Accepted' } });
  ledger.record('CP-1', 'StartTransaction', { connectorId: 1, idTag: 'A', meterStart: 100, timestamp: T0 }, { transactionId: 7, idTagInfo: { status: 'Accepted' } });
  ledger.record('CP-1', 'MeterValues', {
    connectorId: 1,
    transactionId: 7,
    meterValue: [{ timestamp: T1, sampledValue: [{ value: '150', measurand: 'Energy.Active.Import.Register' }, { value: '3000', measurand: 'Power.Active.Import' }] }],
  }, {});
  ledger.record('CP-1', 'StopTransaction', { transactionId: 7, meterStop: 200, timestamp: T2 }, {});
  return ledger;
}

// As the server stores them: its own normalised text, which need not be the string the charger sent.
const row: TransactionRow = {
  id: 7, chargePointId: 'CP-1', connectorId: 1, idTag: 'A', startedAtMs: Date.parse(T0), meterStartWh: 100, stoppedAtMs: Date.parse(T2), meterStopWh: 200,
};
const samples: MeterValueRow[] = [
  { chargePointId: 'CP-1', transactionId: 7, timestampMs: Date.parse(T1), measurand: 'Energy.Active.Import.Register', value: '150' },
  { chargePointId: 'CP-1', transactionId: 7, timestampMs: Date.parse(T1), measurand: 'Power.Active.Import', value: '3000' },
];

describe('Ledger', () => {
  it('keeps the transaction messages only, one entry per sample', () => {
    assert.deepEqual(ledgerOfOneSession().size, { starts: 1, stops: 1, samples: 2 });
  });
});

describe('compareLedger', () => {
  it('is OK when every acknowledged start, stop and sample is stored', () => {
    const v = compareLedger(ledgerOfOneSession(), [row], samples);
    assert.equal(v.ok, true, v.problems.join('\n'));
    assert.deepEqual(v.problems, []);
  });
  it('a sample stored twice is counted, not an error', () => {
    const v = compareLedger(ledgerOfOneSession(), [row], [...samples, samples[0]]);
    assert.equal(v.ok, true);
    assert.equal(v.samples.storedMoreThanOnce, 1);
  });
  it('finds a missing start, a missing stop and a missing sample', () => {
    assert.equal(compareLedger(ledgerOfOneSession(), [], samples).starts.missing, 1);
    const unstopped = compareLedger(ledgerOfOneSession(), [{ ...row, stoppedAtMs: null, meterStopWh: null }], samples);
    assert.equal(unstopped.ok, false);
    assert.equal(unstopped.stops.missing, 1);
    const noSample = compareLedger(ledgerOfOneSession(), [row], samples.slice(1));
    assert.equal(noSample.ok, false);
    assert.equal(noSample.samples.missing, 1);
    assert.match(noSample.problems[0], /150 of CP-1 transaction 7/);
  });
  it('finds a row that differs from what was sent', () => {
    const v = compareLedger(ledgerOfOneSession(), [{ ...row, meterStartWh: 101, meterStopWh: 199 }], samples);
    assert.equal(v.starts.mismatched, 1);
    assert.equal(v.stops.mismatched, 1);
    assert.equal(v.ok, false);
  });
  it('one start stored as two rows fails, even when the answered id is one of them', () => {
    const v = compareLedger(ledgerOfOneSession(), [row, { ...row, id: 8, stoppedAtMs: null, meterStopWh: null }], samples);
    assert.equal(v.duplicateStarts, 1);
    assert.equal(v.starts.notUnique, 1);
    assert.equal(v.ok, false);
  });
});
