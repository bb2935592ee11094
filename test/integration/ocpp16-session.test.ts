// A charger's whole session over a real WebSocket, seen by an integrator over real HTTP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';

describe('OCPP 1.6 session end to end', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    await t.api('/api/v1/id-tags/RFID-HAPPY', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Accepted' }) });
  });
  after(() => t.close());

  it('boot, status, authorize, start, meter values, stop: the session shows up through REST and CSV with the charger\'s times, meters, energy and tag', async () => {
    const cp = await t.charger('CP-HAPPY');
    const boot = (await cp.call('BootNotification', { ...bootPayload, firmwareVersion: '1.2.3', chargePointSerialNumber: 'SN-1' })) as any;
    assert.equal(boot.status, 'Accepted');
    assert.equal(boot.interval, t.config.heartbeatIntervalS);
    assert.match(boot.currentTime, /Z$/, 'our times are UTC with Z (CONFORMANCE 61)');

    assert.deepEqual(await cp.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' }), {});
    assert.deepEqual(await cp.call('Authorize', { idTag: 'rfid-happy' }), { idTagInfo: { status: 'Accepted' } });
    const start = (await cp.call('StartTransaction', { connectorId: 1, idTag: 'RFID-HAPPY', meterStart: 1000, timestamp: '2026-03-01T10:00:00.000Z' })) as any;
    assert.ok(Number.isInteger(start.transactionId) && start.transactionId > 0);
    assert.deepEqual(start.idTagInfo, { status: 'Accepted' });
    for (let i = 1; i <= 3; i++) {
      await cp.call('MeterValues', {
        connectorId: 1,
        transactionId: start.transactionId,
        meterValue: [{ timestamp: `2026-03-01T10:0${i}:00Z`, sampledValue: [{ value: String(1000 + i * 500), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
      });
    }
    const stop = (await cp.call('StopTransaction', { transactionId: start.transactionId, idTag: 'RFID-HAPPY', meterStop: 3500, timestamp: '2026-03-01T10:30:00+01:00', reason: 'EVDisconnected' })) as any;
    assert.deepEqual(stop, { idTagInfo: { status: 'Accepted' } });

    const response = await t.api(`/api/v1/transactions/${start.transactionId}`);
    assert.equal(response.status, 200);
    const tx = (await response.json()) as any;
    assert.equal(tx.chargePointId, 'CP-HAPPY');
    assert.equal(tx.connectorId, 1);
    assert.equal(tx.idTag, 'RFID-HAPPY');
    assert.equal(tx.startedAt, '2026-03-01T10:00:00.000Z');
    assert.equal(tx.stoppedAt, '2026-03-01T09:30:00.000Z');
    assert.equal(tx.meterStartWh, 1000);
    assert.equal(tx.meterStopWh, 3500);
    assert.equal(tx.energyWh, 2500);
    assert.equal(tx.stopReason, 'EVDisconnected');
    assert.equal(tx.status, 'Completed');
    assert.equal(tx.meterValues.length, 3);
    assert.deepEqual(
      tx.meterValues.map((m: any) => m.value),
      ['1500', '2000', '2500'],
    );

    const cps = (await (await t.api('/api/v1/charge-points/CP-HAPPY')).json()) as any;
    assert.equal(cps.connected, true);
    assert.equal(cps.vendor, 'Voltgate');
    assert.equal(cps.firmwareVersion, '1.2.3');
    assert.equal(cps.connectors.find((c: any) => c.connectorId === 1)?.status, 'Available');

    const csv = await (await t.api('/api/v1/transactions/export.csv?chargePointId=CP-HAPPY')).text();
    const [header, row] = csv.trim().split(/\r?\n/);
    assert.equal(header, 'id,chargePointId,connectorId,evseId,chargerTransactionId,idTag,idTokenType,startedAt,stoppedAt,meterStartWh,meterStopWh,energyWh,stopReason,status,durationS,averagePowerW');
    // Stopped before it started (a charger clock): no duration, so no average power.
    assert.equal(row, `${start.transactionId},CP-HAPPY,1,,${start.transactionId},RFID-HAPPY,,2026-03-01T10:00:00.000Z,2026-03-01T09:30:00.000Z,1000,3500,2500,EVDisconnected,Completed,,`);
  });

  it('the session survives a restart of the server (durable before acknowledged)', async () => {
    const cp = await t.charger('CP-PERSIST');
    await cp.call('BootNotification', bootPayload);
    const start = (await cp.call('StartTransaction', { connectorId: 2, idTag: 'RFID-HAPPY', meterStart: 0, timestamp: '2026-03-02T08:00:00Z' })) as any;
    await t.restart();
    const tx = (await (await t.api(`/api/v1/transactions/${start.transactionId}`)).json()) as any;
    assert.equal(tx.status, 'Active');
    assert.equal(tx.chargePointId, 'CP-PERSIST');
    const cp2 = await t.charger('CP-PERSIST');
    await cp2.call('StopTransaction', { transactionId: start.transactionId, meterStop: 7000, timestamp: '2026-03-02T09:00:00Z' });
    const stopped = (await (await t.api(`/api/v1/transactions/${start.transactionId}`)).json()) as any;
    assert.equal(stopped.energyWh, 7000);
    assert.equal(stopped.stopReason, 'Local', 'OCPP 1.6 §7.41: an omitted reason is Local (CONFORMANCE 63)');
  });
});
