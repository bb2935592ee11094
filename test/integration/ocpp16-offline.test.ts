// Offline chargers: queued messages replayed after reconnect, with old timestamps, bursts and retries.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';
import { openRawCharger } from '../support/raw-charger.js';

const json = { 'content-type': 'application/json' };

describe('OCPP 1.6 offline replay and retries', () => {
  let t: TestServer;
  const tx = async (id: number) => (await (await t.api(`/api/v1/transactions/${id}`)).json()) as any;
  before(async () => {
    t = await startTestServer();
    await t.api('/api/v1/id-tags/DRIVER', { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Accepted' }) });
  });
  after(() => t.close());

  it('OCPP 1.6 §3.7 / CONFORMANCE 66: a session held offline for hours is stored with the charger\'s own timestamps', async () => {
    const cp = await t.charger('CP-OFF-1');
    const startedAt = new Date(Date.now() - 5 * 3600_000).toISOString();
    const stoppedAt = new Date(Date.now() - 3 * 3600_000).toISOString();
    const start = (await cp.call('StartTransaction', { connectorId: 1, idTag: 'DRIVER', meterStart: 100, timestamp: startedAt })) as any;
    await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: 20100, timestamp: stoppedAt, reason: 'EVDisconnected' });
    const stored = await tx(start.transactionId);
    assert.equal(stored.startedAt, startedAt);
    assert.equal(stored.stoppedAt, stoppedAt);
    assert.equal(stored.energyWh, 20000);
    assert.deepEqual(stored.flags, []);
  });

  it('OCPP 1.6 §3.5.4 / CONFORMANCE 67: an offline start with an invalid tag is answered Invalid, and its DeAuthorized stop is recorded', async () => {
    const cp = await t.charger('CP-OFF-2');
    const start = (await cp.call('StartTransaction', { connectorId: 1, idTag: 'STRANGER', meterStart: 0, timestamp: new Date(Date.now() - 600_000).toISOString() })) as any;
    assert.equal(start.idTagInfo.status, 'Invalid');
    assert.deepEqual(await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: 300, timestamp: new Date().toISOString(), reason: 'DeAuthorized' }), {});
    const stored = await tx(start.transactionId);
    assert.equal(stored.stopReason, 'DeAuthorized');
    assert.equal(stored.energyWh, 300);
  });

  it('OCPP 1.6 §3.7 / CONFORMANCE 68: a replayed queue of 500 MeterValues and a stop is answered in full, an Authorize in the middle answered at once', async () => {
    const raw = await openRawCharger(`${t.wsUrl}/CP-OFF-3`);
    try {
      raw.send([2, 'start', 'StartTransaction', { connectorId: 1, idTag: 'DRIVER', meterStart: 0, timestamp: new Date(Date.now() - 7200_000).toISOString() }]);
      const [, , { transactionId }] = await raw.next();
      const base = Date.now() - 7000_000;
      for (let i = 0; i < 500; i++) {
        raw.send([2, `mv${i}`, 'MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: new Date(base + i * 1000).toISOString(), sampledValue: [{ value: String(i * 10) }] }] }]);
        if (i === 250) raw.send([2, 'auth', 'Authorize', { idTag: 'DRIVER' }]);
      }
      raw.send([2, 'stop', 'StopTransaction', { transactionId, meterStop: 5000, timestamp: new Date(base + 600_000).toISOString() }]);
      const answered: string[] = [];
      while (answered.length < 502) {
        const frame = await raw.next(10_000);
        assert.equal(frame[0], 3, `a CALLRESULT, not ${JSON.stringify(frame)}`);
        answered.push(frame[1]);
      }
      assert.equal(new Set(answered).size, 502);
      assert.ok(answered.indexOf('auth') < answered.indexOf('stop'), 'the Authorize did not wait for the end of the queue');
      const stored = await tx(transactionId);
      assert.equal(stored.meterValues.length, 500);
      assert.equal(stored.energyWh, 5000);
    } finally {
      raw.close();
    }
  });

  it('OCPP 1.6 §3.7.1 / CONFORMANCE 69: a StopTransaction that failed with InternalError and is retried is applied exactly once', async () => {
    const cp = await t.charger('CP-OFF-4');
    const start = (await cp.call('StartTransaction', { connectorId: 1, idTag: 'DRIVER', meterStart: 0, timestamp: new Date(Date.now() - 60_000).toISOString() })) as any;
    const transactions = t.server.storage.transactions;
    const realStop = transactions.stop;
    let failures = 0;
    transactions.stop = async (input) => {
      if (failures++ === 0) throw new Error('injected: storage unavailable');
      return realStop.call(transactions, input);
    };
    try {
      const stop = { transactionId: start.transactionId, meterStop: 800, timestamp: new Date().toISOString() };
      await assert.rejects(cp.call('StopTransaction', stop), (e: any) => e.code === 'InternalError');
      assert.deepEqual(await cp.call('StopTransaction', stop), {});
      assert.deepEqual(await cp.call('StopTransaction', stop), {});
    } finally {
      transactions.stop = realStop;
    }
    const stored = await tx(start.transactionId);
    assert.equal(stored.energyWh, 800);
    assert.equal(stored.status, 'Completed');
  });

  it('OCPP-J 1.6 §5.3 / CONFORMANCE 70: a charger whose clock says 1970 gets the true UTC time, and its records are flagged', async () => {
    const cp = await t.charger('CP-OFF-5');
    const boot = (await cp.call('BootNotification', bootPayload)) as any;
    assert.ok(Math.abs(Date.parse(boot.currentTime) - Date.now()) < 5000);
    const start = (await cp.call('StartTransaction', { connectorId: 1, idTag: 'DRIVER', meterStart: 0, timestamp: '1970-01-01T00:02:00Z' })) as any;
    assert.ok((await tx(start.transactionId)).flags.includes('timestamp-implausible'));
  });
});
