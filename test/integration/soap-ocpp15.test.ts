// A charger speaking OCPP 1.5 over SOAP, over real HTTP: its 1.5 messages (meter values as attributes, 1.5 names)
// make the same session, in the same words through REST, as a 1.6 charger's.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { postSoap, envelope, CS16_NS, soap15 } from '../support/soap-charger.js';

describe('OCPP 1.5 over SOAP', () => {
  let t: TestServer;
  let url: string;
  before(async () => {
    t = await startTestServer();
    url = `${t.httpUrl}/soap/ocpp15`;
    await t.api('/api/v1/id-tags/TAG15', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Accepted' }) });
  });
  after(() => t.close());

  it('boot, status, authorize, start, meter values, stop with transaction data: the session shows through REST as any other', async () => {
    const boot = await soap15(url, 'CP-15', 'BootNotification', '<cs:bootNotificationRequest><cs:chargePointVendor>Old</cs:chargePointVendor><cs:chargePointModel>AC-22</cs:chargePointModel></cs:bootNotificationRequest>');
    assert.equal(boot.status, 200);
    assert.deepEqual([boot.body.bootNotificationResponse.status, Number(boot.body.bootNotificationResponse.heartbeatInterval)], ['Accepted', t.config.heartbeatIntervalS]);
    assert.equal(boot.header.Action, '/BootNotificationResponse');

    const status = await soap15(url, 'CP-15', 'StatusNotification', '<cs:statusNotificationRequest><cs:connectorId>1</cs:connectorId><cs:status>Occupied</cs:status><cs:errorCode>Mode3Error</cs:errorCode></cs:statusNotificationRequest>');
    assert.equal(status.status, 200);
    const authorize = await soap15(url, 'CP-15', 'Authorize', '<cs:authorizeRequest><cs:idTag>TAG15</cs:idTag></cs:authorizeRequest>');
    assert.equal(authorize.body.authorizeResponse.idTagInfo.status, 'Accepted');
    const start = await soap15(url, 'CP-15', 'StartTransaction', '<cs:startTransactionRequest><cs:connectorId>1</cs:connectorId><cs:idTag>TAG15</cs:idTag><cs:timestamp>2026-05-01T12:00:00Z</cs:timestamp><cs:meterStart>500</cs:meterStart></cs:startTransactionRequest>');
    const transactionId = Number(start.body.startTransactionResponse.transactionId);
    assert.ok(transactionId > 0);
    const meter = await soap15(
      url,
      'CP-15',
      'MeterValues',
      `<cs:meterValuesRequest><cs:connectorId>1</cs:connectorId><cs:transactionId>${transactionId}</cs:transactionId>
        <cs:values><cs:timestamp>2026-05-01T12:10:00Z</cs:timestamp><cs:value measurand="Energy.Active.Import.Register" unit="kWh">0.9</cs:value><cs:value measurand="Current.Import" unit="Amp">16</cs:value></cs:values>
      </cs:meterValuesRequest>`,
    );
    assert.equal(meter.status, 200, JSON.stringify(meter.body));
    const stop = await soap15(
      url,
      'CP-15',
      'StopTransaction',
      `<cs:stopTransactionRequest><cs:transactionId>${transactionId}</cs:transactionId><cs:idTag>TAG15</cs:idTag><cs:timestamp>2026-05-01T12:30:00Z</cs:timestamp><cs:meterStop>1700</cs:meterStop>
        <cs:transactionData><cs:values><cs:timestamp>2026-05-01T12:30:00Z</cs:timestamp><cs:value context="Transaction.End">1700</cs:value></cs:values></cs:transactionData>
      </cs:stopTransactionRequest>`,
    );
    assert.equal(stop.body.stopTransactionResponse.idTagInfo.status, 'Accepted');

    const tx = (await (await t.api(`/api/v1/transactions/${transactionId}`)).json()) as any;
    assert.deepEqual(
      [tx.chargePointId, tx.idTag, tx.startedAt, tx.stoppedAt, tx.meterStartWh, tx.meterStopWh, tx.energyWh],
      ['CP-15', 'TAG15', '2026-05-01T12:00:00.000Z', '2026-05-01T12:30:00.000Z', 500, 1700, 1200],
    );
    assert.deepEqual(
      tx.meterValues.map((m: any) => [m.measurand, m.value, m.unit]),
      [
        ['Energy.Active.Import.Register', '0.9', 'kWh'],
        ['Current.Import', '16', 'A'],
        // The stop's transaction data, kept as 1.6's is (a value without measurand or unit is the register in Wh).
        ['Energy.Active.Import.Register', '1700', 'Wh'],
      ],
    );
    const csv = await (await t.api('/api/v1/transactions/export.csv?chargePointId=CP-15')).text();
    // A 1.5 stop has no reason: the 1.6 default, Local.
    assert.equal(csv.trim().split(/\r?\n/)[1], `${transactionId},CP-15,1,,${transactionId},TAG15,,2026-05-01T12:00:00.000Z,2026-05-01T12:30:00.000Z,500,1700,1200,Local,Completed,1800,2400`);
    const stats = (await (await t.api('/api/v1/statistics?groupBy=chargePoint&chargePointId=CP-15&from=2026-05-01T00:00:00Z&to=2026-05-02T00:00:00Z')).json()) as any;
    assert.deepEqual(stats.items, [{ key: 'CP-15', sessions: 1, activeSessions: 0, energyWh: 1200, durationS: 1800 }]);
    const cp = (await (await t.api('/api/v1/charge-points/CP-15')).json()) as any;
    assert.equal(cp.protocol, 'ocpp1.5s');
    assert.deepEqual(
      cp.connectors.filter((c: any) => c.connectorId === 1).map((c: any) => [c.status, c.errorCode]),
      [['Occupied', 'EVCommunicationError']],
    );
  });

  it('a 1.6 message sent to the 1.5 service is refused with a fault, not read as 1.5', async () => {
    const answer = await postSoap(url, envelope(CS16_NS, 'CP-15', 'Heartbeat', '<cs:heartbeatRequest/>'));
    assert.deepEqual([answer.status, answer.body.Fault?.Code?.Subcode?.Value], [400, 'ocpp:ProtocolError']);
  });
});
