// The ledger of a 2.0.1 session: kept under the station's transactionId (the CSMS answers no id), found in the
// rows by (charge_point_id, charger_transaction_id), its samples through that row's id.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger } from '../../src/simulator/ledger.js';
import { compareLedger, type MeterValueRow, type TransactionRow } from '../../src/simulator/verify-ledger.js';

const T0 = '2026-12-01T10:00:00.000Z';
const T1 = '2026-12-01T10:01:00.000Z';
const T2 = '2026-12-01T10:02:00.000Z';
const TX = '0b7c3c2e-6f0e-4f51-9d59-2f7a4c1f0a11';
const energy = (value: number, context: string) => ({ value, measurand: 'Energy.Active.Import.Register', context, unitOfMeasure: { unit: 'Wh' } });

function ledgerOfOneSession(): Ledger {
  const ledger = new Ledger();
  const accepted = { idTokenInfo: { status: 'Accepted' } };
  ledger.record('CS-1', 'Authorize', { idToken: { idToken: 'A', type: 'ISO14443' } }, accepted);
  ledger.record('CS-1', 'TransactionEvent', {
    eventType: 'Started', timestamp: T0, triggerReason: 'Authorized', seqNo: 0, transactionInfo: { transactionId: TX, chargingState: 'Charging' },
    evse: { id: 2, connectorId: 1 }, idToken: { idToken: 'A', type: 'ISO14443' }, meterValue: [{ timestamp: T0, sampledValue: [energy(100, 'Transaction.Begin')] }],
  }, accepted);
  ledger.record('CS-1', 'TransactionEvent', {
    eventType: 'Updated', timestamp: T1, triggerReason: 'MeterValuePeriodic', seqNo: 1, transactionInfo: { transactionId: TX },
    meterValue: [{ timestamp: T1, sampledValue: [energy(150, 'Sample.Periodic'), { value: 3000, measurand: 'Power.Active.Import', context: 'Sample.Periodic' }] }],
  }, {});
  ledger.record('CS-1', 'TransactionEvent', {
    eventType: 'Ended', timestamp: T2, triggerReason: 'EVCommunicationLost', seqNo: 2, transactionInfo: { transactionId: TX, stoppedReason: 'EVDisconnected' },
    meterValue: [{ timestamp: T2, sampledValue: [energy(200, 'Transaction.End')] }],
  }, {});
  return ledger;
}

const row: TransactionRow = {
  id: 31, chargePointId: 'CS-1', connectorId: 1, idTag: 'A', startedAtMs: Date.parse(T0), meterStartWh: 100, stoppedAtMs: Date.parse(T2), meterStopWh: 200,
  chargerTransactionId: TX, evseId: 2,
};
const sample = (timestamp: string, measurand: string, value: string): MeterValueRow => ({ chargePointId: 'CS-1', transactionId: 31, timestampMs: Date.parse(timestamp), measurand, value });
const samples = [
  sample(T0, 'Energy.Active.Import.Register', '100'),
  sample(T1, 'Energy.Active.Import.Register', '150'),
  sample(T1, 'Power.Active.Import', '3000'),
  sample(T2, 'Energy.Active.Import.Register', '200'),
];

describe('Ledger and compareLedger with 2.0.1 TransactionEvents', () => {
  it('keeps Started as the start, Ended as the stop, every sample, under the station id', () => {
    const ledger = ledgerOfOneSession();
    assert.deepEqual(ledger.size, { starts: 1, stops: 1, samples: 4 });
    assert.deepEqual(
      { ...ledger.starts[0] },
      { chargePointId: 'CS-1', connectorId: 1, evseId: 2, idTag: 'A', meterStart: 100, timestampMs: Date.parse(T0), transactionId: null, chargerTransactionId: TX },
    );
    assert.deepEqual({ ...ledger.stops[0] }, { chargePointId: 'CS-1', transactionId: null, chargerTransactionId: TX, meterStop: 200, timestampMs: Date.parse(T2) });
  });
  it('is OK when the session row and its samples are stored', () => {
    const v = compareLedger(ledgerOfOneSession(), [row], samples);
    assert.equal(v.ok, true, v.problems.join('\n'));
  });
  it('finds a missing session, a wrong EVSE and a missing sample', () => {
    const missing = compareLedger(ledgerOfOneSession(), [{ ...row, chargerTransactionId: 'other' }], samples);
    assert.equal(missing.starts.missing, 1);
    assert.equal(missing.stops.missing, 1);
    assert.equal(missing.samples.missing, 4);
    assert.match(missing.problems[0], new RegExp(`EVSE 2 .*transaction "${TX}"`));
    const wrongEvse = compareLedger(ledgerOfOneSession(), [{ ...row, evseId: 1 }], samples);
    assert.equal(wrongEvse.starts.mismatched, 1);
    const noSample = compareLedger(ledgerOfOneSession(), [row], samples.slice(1));
    assert.equal(noSample.samples.missing, 1);
  });
});
