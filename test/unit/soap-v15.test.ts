// OCPP 1.5 messages as the 1.6 ones the handlers take, and back: pure.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { v15RequestAsV16, v16AnswerAsV15 } from '../../src/ocpp/soap/v15.js';

describe('OCPP 1.5 ↔ 1.6', () => {
  it('meter values as attributes become sampled values, with 1.6 unit names', () => {
    const request = { connectorId: 1, values: [{ timestamp: 'T', value: [{ '#text': '16', unit: 'Amp', measurand: 'Current.Import' }, { '#text': '230', unit: 'Volt' }, { '#text': '5' }] }] };
    assert.deepEqual(v15RequestAsV16('MeterValues', request), {
      connectorId: 1,
      meterValue: [{ timestamp: 'T', sampledValue: [{ value: '16', measurand: 'Current.Import', unit: 'A' }, { value: '230', unit: 'V' }, { value: '5' }] }],
    });
  });

  it("a stop's transaction data is the list of its meter values", () => {
    const request = { transactionId: 3, transactionData: [{ values: [{ timestamp: 'A', value: [{ '#text': '1' }] }] }, { values: [{ timestamp: 'B', value: [{ '#text': '2' }] }] }, {}] };
    assert.deepEqual(v15RequestAsV16('StopTransaction', request).transactionData, [
      { timestamp: 'A', sampledValue: [{ value: '1' }] },
      { timestamp: 'B', sampledValue: [{ value: '2' }] },
    ]);
  });

  it('Mode3Error is EVCommunicationError; a boot answer carries heartbeatInterval, and Pending, which 1.5 lacks, is Rejected', () => {
    assert.equal(v15RequestAsV16('StatusNotification', { connectorId: 1, status: 'Occupied', errorCode: 'Mode3Error' }).errorCode, 'EVCommunicationError');
    assert.deepEqual(v16AnswerAsV15('BootNotification', { status: 'Pending', currentTime: 'T', interval: 60 }), { status: 'Rejected', currentTime: 'T', heartbeatInterval: 60 });
    assert.deepEqual(v16AnswerAsV15('Authorize', { idTagInfo: { status: 'Accepted' } }), { idTagInfo: { status: 'Accepted' } });
  });
});
