// A charger speaking OCPP 1.6 over SOAP, over real HTTP: its whole session shows through REST as a JSON
// charger's does, and what is wrong with a request gets the SOAP fault that names it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { envelope16, postSoap, soap16 } from '../support/soap-charger.js';
import { startWebhookReceiver, waitFor, type WebhookReceiver } from '../support/webhook-receiver.js';

describe('OCPP 1.6 over SOAP', () => {
  let t: TestServer;
  let url: string;
  let sessionHooks: WebhookReceiver;
  before(async () => {
    t = await startTestServer();
    url = `${t.httpUrl}/soap/ocpp16`;
    await t.api('/api/v1/id-tags/SOAP-TAG', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Accepted' }) });
    sessionHooks = await startWebhookReceiver();
    const hook = await t.api('/api/v1/webhooks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: sessionHooks.url, events: ['transaction.started', 'transaction.stopped'], secret: 'soap-session-secret' }),
    });
    assert.equal(hook.status, 201);
  });
  after(async () => {
    await sessionHooks.close();
    await t.close();
  });

  it('boot, status, authorize, start, meter values, stop: answered in SOAP, and the session shows through REST', async () => {
    const boot = await soap16(url, 'CP-SOAP', 'BootNotification', '<cs:bootNotificationRequest><cs:chargePointVendor>Vendor</cs:chargePointVendor><cs:chargePointModel>DC-50</cs:chargePointModel><cs:firmwareVersion>4.1</cs:firmwareVersion></cs:bootNotificationRequest>');
    assert.equal(boot.status, 200);
    assert.match(boot.contentType ?? '', /^application\/soap\+xml/);
    assert.equal(boot.header.Action, '/BootNotificationResponse');
    assert.ok(boot.header.RelatesTo?.startsWith('urn:uuid:'));
    assert.equal(boot.body.bootNotificationResponse.status, 'Accepted');
    assert.equal(Number(boot.body.bootNotificationResponse.interval), t.config.heartbeatIntervalS);

    const status = await soap16(url, 'CP-SOAP', 'StatusNotification', '<cs:statusNotificationRequest><cs:connectorId>1</cs:connectorId><cs:status>Available</cs:status><cs:errorCode>NoError</cs:errorCode></cs:statusNotificationRequest>');
    assert.deepEqual([status.status, status.body.statusNotificationResponse], [200, '']);
    const authorize = await soap16(url, 'CP-SOAP', 'Authorize', '<cs:authorizeRequest><cs:idTag>soap-tag</cs:idTag></cs:authorizeRequest>');
    assert.equal(authorize.body.authorizeResponse.idTagInfo.status, 'Accepted');
    const start = await soap16(url, 'CP-SOAP', 'StartTransaction', '<cs:startTransactionRequest><cs:connectorId>1</cs:connectorId><cs:idTag>SOAP-TAG</cs:idTag><cs:timestamp>2026-04-01T08:00:00Z</cs:timestamp><cs:meterStart>2000</cs:meterStart></cs:startTransactionRequest>');
    const transactionId = Number(start.body.startTransactionResponse.transactionId);
    assert.ok(Number.isInteger(transactionId) && transactionId > 0);
    const meter = await soap16(
      url,
      'CP-SOAP',
      'MeterValues',
      `<cs:meterValuesRequest><cs:connectorId>1</cs:connectorId><cs:transactionId>${transactionId}</cs:transactionId>
        <cs:meterValue><cs:timestamp>2026-04-01T08:15:00Z</cs:timestamp><cs:sampledValue><cs:value>2600</cs:value><cs:measurand>Energy.Active.Import.Register</cs:measurand><cs:unit>Wh</cs:unit></cs:sampledValue></cs:meterValue>
      </cs:meterValuesRequest>`,
    );
    assert.equal(meter.status, 200);
    const stop = await soap16(url, 'CP-SOAP', 'StopTransaction', `<cs:stopTransactionRequest><cs:transactionId>${transactionId}</cs:transactionId><cs:idTag>SOAP-TAG</cs:idTag><cs:timestamp>2026-04-01T08:30:00Z</cs:timestamp><cs:meterStop>3200</cs:meterStop><cs:reason>EVDisconnected</cs:reason></cs:stopTransactionRequest>`);
    assert.equal(stop.body.stopTransactionResponse.idTagInfo.status, 'Accepted');
    const heartbeat = await soap16(url, 'CP-SOAP', 'Heartbeat', '<cs:heartbeatRequest/>');
    assert.match(heartbeat.body.heartbeatResponse.currentTime, /Z$/);

    const tx = (await (await t.api(`/api/v1/transactions/${transactionId}`)).json()) as any;
    assert.deepEqual(
      [tx.chargePointId, tx.connectorId, tx.idTag, tx.startedAt, tx.stoppedAt, tx.meterStartWh, tx.meterStopWh, tx.energyWh, tx.stopReason],
      ['CP-SOAP', 1, 'SOAP-TAG', '2026-04-01T08:00:00.000Z', '2026-04-01T08:30:00.000Z', 2000, 3200, 1200, 'EVDisconnected'],
    );
    assert.deepEqual(tx.meterValues.map((m: any) => m.value), ['2600']);
    const cp = (await (await t.api('/api/v1/charge-points/CP-SOAP')).json()) as any;
    assert.deepEqual([cp.protocol, cp.vendor, cp.model, cp.firmwareVersion], ['ocpp1.6s', 'Vendor', 'DC-50', '4.1']);
    assert.equal(cp.connected, true, 'heard from within the offline limit');
    const csv = await (await t.api('/api/v1/transactions/export.csv?chargePointId=CP-SOAP')).text();
    // 30 minutes, 1,200 Wh: an average of 2,400 W.
    assert.equal(csv.trim().split(/\r?\n/)[1], `${transactionId},CP-SOAP,1,,${transactionId},SOAP-TAG,,2026-04-01T08:00:00.000Z,2026-04-01T08:30:00.000Z,2000,3200,1200,EVDisconnected,Completed,1800,2400`);
    assert.equal(cp.soapEndpoint, 'http://127.0.0.1:1/ocpp', 'the address it announced in wsa:From (CONFORMANCE 79)');
    const stats = (await (await t.api('/api/v1/statistics?groupBy=chargePoint&chargePointId=CP-SOAP&from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z')).json()) as any;
    assert.deepEqual(stats.items, [{ key: 'CP-SOAP', sessions: 1, activeSessions: 0, energyWh: 1200, durationS: 1800 }]);
    const stopped = await waitFor(() => sessionHooks.deliveries.find((d) => d.json.event === 'transaction.stopped' && d.json.data.id === transactionId), 10_000, 'transaction.stopped');
    assert.deepEqual([stopped.json.data.chargePointId, stopped.json.data.meterStopWh, stopped.json.data.energyWh, stopped.json.data.stopReason], ['CP-SOAP', 3200, 1200, 'EVDisconnected']);
    const started = sessionHooks.deliveries.find((d) => d.json.event === 'transaction.started' && d.json.data.transactionId === transactionId);
    assert.deepEqual([started?.json.data.chargePointId, started?.json.data.idTag, started?.json.data.meterStartWh], ['CP-SOAP', 'SOAP-TAG', 2000]);
  });

  it('an operator may set the endpoint of a charger that announces none; only http(s) addresses', async () => {
    const put = (body: unknown) => t.api('/api/v1/charge-points/CP-SOAP-HAND', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const set = await put({ soapEndpoint: 'http://192.0.2.7:8080/ocpp' });
    assert.equal(set.status, 200);
    assert.equal(((await set.json()) as any).soapEndpoint, 'http://192.0.2.7:8080/ocpp');
    assert.equal((await put({ soapEndpoint: 'ftp://192.0.2.7/ocpp' })).status, 400);
    const anonymous = envelope16('CP-SOAP-HAND', 'Heartbeat', '<cs:heartbeatRequest/>').replace('http://127.0.0.1:1/ocpp', 'http://www.w3.org/2005/08/addressing/anonymous');
    assert.equal((await postSoap(url, anonymous)).status, 200);
    const cp = (await (await t.api('/api/v1/charge-points/CP-SOAP-HAND')).json()) as any;
    assert.equal(cp.soapEndpoint, 'http://192.0.2.7:8080/ocpp', 'an anonymous From keeps the address set by hand');
  });

  it('a StartTransaction sent again after a lost answer gets the same transaction id', async () => {
    const body = '<cs:startTransactionRequest><cs:connectorId>2</cs:connectorId><cs:idTag>SOAP-TAG</cs:idTag><cs:timestamp>2026-04-01T09:00:00Z</cs:timestamp><cs:meterStart>10</cs:meterStart></cs:startTransactionRequest>';
    const first = await soap16(url, 'CP-SOAP-RETRY', 'StartTransaction', body);
    const again = await soap16(url, 'CP-SOAP-RETRY', 'StartTransaction', body);
    assert.equal(again.body.startTransactionResponse.transactionId, first.body.startTransactionResponse.transactionId);
  });

  it('what is wrong gets the SOAP fault that names it, and the charger is served again at once', async () => {
    const subcode = (answer: Awaited<ReturnType<typeof postSoap>>) => answer.body.Fault?.Code?.Subcode?.Value;
    const noAction = await postSoap(url, envelope16('CP-SOAP-BAD', 'Heartbeat', '<cs:heartbeatRequest/>', '<cs:chargeBoxIdentity>CP-SOAP-BAD</cs:chargeBoxIdentity><wsa:MessageID>urn:uuid:1</wsa:MessageID>'));
    assert.deepEqual([noAction.status, subcode(noAction), noAction.body.Fault.Detail.ProblemHeaderQName], [400, 'wsa:MessageAddressingHeaderRequired', 'wsa:Action']);
    const noIdentity = await postSoap(url, envelope16('CP-SOAP-BAD', 'Heartbeat', '<cs:heartbeatRequest/>', '<wsa:Action>/Heartbeat</wsa:Action><wsa:MessageID>urn:uuid:2</wsa:MessageID>'));
    assert.deepEqual([noIdentity.status, subcode(noIdentity)], [400, 'ocpp:ProtocolError']);
    const mismatch = await postSoap(url, envelope16('CP-SOAP-BAD', 'Authorize', '<cs:heartbeatRequest/>'));
    assert.deepEqual([mismatch.status, subcode(mismatch)], [400, 'wsa:ActionMismatch']);
    const schema = await soap16(url, 'CP-SOAP-BAD', 'Authorize', '<cs:authorizeRequest><cs:idTag>THIS-TAG-IS-FAR-TOO-LONG</cs:idTag></cs:authorizeRequest>');
    assert.deepEqual([schema.status, subcode(schema)], [400, 'ocpp:ProtocolError']);
    assert.match(schema.body.Fault.Reason.Text['#text'], /idTag/);
    const dtd = await postSoap(url, `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${envelope16('CP-SOAP-BAD', 'Heartbeat', '<cs:heartbeatRequest/>').replace(/^<\?xml[^>]*\?>/, '')}`);
    assert.deepEqual([dtd.status, subcode(dtd)], [400, 'ocpp:ProtocolError']);
    const garbage = await postSoap(url, '<soap:Envelope><oops');
    assert.deepEqual([garbage.status, subcode(garbage)], [400, 'ocpp:ProtocolError']);
    const json = await postSoap(url, '{}', { contentType: 'application/json' });
    assert.equal(json.status, 415);
    const fine = await soap16(url, 'CP-SOAP-BAD', 'Heartbeat', '<cs:heartbeatRequest/>');
    assert.equal(fine.status, 200);
  });
});

describe('OCPP 1.6 over SOAP: presence without a connection', () => {
  let t: TestServer;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  before(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestServer({ offlineAfterS: 1, webhookRetryBaseMs: 20 });
    const hook = await t.api('/api/v1/webhooks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: receiver.url, events: ['charge_point.offline'], secret: 'soap-presence-secret' }) });
    assert.equal(hook.status, 201);
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  it('a SOAP charger is connected while heard from within the offline limit; going quiet raises charge_point.offline once, as for any charger', async () => {
    const url = `${t.httpUrl}/soap/ocpp16`;
    await soap16(url, 'CP-SOAP-QUIET', 'BootNotification', '<cs:bootNotificationRequest><cs:chargePointVendor>V</cs:chargePointVendor><cs:chargePointModel>M</cs:chargePointModel></cs:bootNotificationRequest>');
    const connected = async () => ((await (await t.api('/api/v1/charge-points/CP-SOAP-QUIET')).json()) as any).connected;
    assert.equal(await connected(), true);
    const offline = () => receiver.deliveries.filter((d) => d.json.event === 'charge_point.offline' && d.json.data.chargePointId === 'CP-SOAP-QUIET');
    await waitFor(() => offline().length === 1, 5000, 'charge_point.offline');
    assert.equal(offline()[0].json.data.connected, false, 'a SOAP charger holds no connection');
    assert.equal(await connected(), false);
    // Heard from again: present, and a later silence is a new one.
    await soap16(url, 'CP-SOAP-QUIET', 'Heartbeat', '<cs:heartbeatRequest/>');
    assert.equal(await connected(), true);
    await waitFor(() => offline().length === 2, 5000, 'a second charge_point.offline');
  });
});

describe('OCPP 1.6 over SOAP: who may speak', () => {
  let t: TestServer;
  let url: string;
  before(async () => {
    t = await startTestServer({ unknownChargers: 'reject' });
    url = `${t.httpUrl}/soap/ocpp16`;
    await t.api('/api/v1/charge-points/CP-SOAP-KEY', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'soap-secret-123456' }) });
  });
  after(() => t.close());

  it('an unknown charger is refused with a SecurityError fault, and nothing is recorded under its name', async () => {
    const answer = await soap16(url, 'CP-NOBODY', 'BootNotification', '<cs:bootNotificationRequest><cs:chargePointVendor>V</cs:chargePointVendor><cs:chargePointModel>M</cs:chargePointModel></cs:bootNotificationRequest>');
    assert.deepEqual([answer.status, answer.body.Fault?.Code?.Subcode?.Value], [400, 'ocpp:SecurityError']);
    assert.equal((await t.api('/api/v1/charge-points/CP-NOBODY')).status, 404);
  });

  it('a charger with a password is served only with it (HTTP Basic, as over WebSocket)', async () => {
    const body = envelope16('CP-SOAP-KEY', 'Heartbeat', '<cs:heartbeatRequest/>');
    const without = await postSoap(url, body);
    assert.deepEqual([without.status, without.body.Fault?.Code?.Subcode?.Value], [401, 'ocpp:SecurityError']);
    const wrong = await postSoap(url, body, { authorization: `Basic ${Buffer.from('CP-SOAP-KEY:wrong').toString('base64')}` });
    assert.equal(wrong.status, 401);
    const right = await postSoap(url, body, { authorization: `Basic ${Buffer.from('CP-SOAP-KEY:soap-secret-123456').toString('base64')}` });
    assert.equal(right.status, 200);
  });
});

describe('OCPP 1.6 over SOAP, then over WebSocket', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ maxFrameBytes: 64 * 1024 });
    await t.api('/api/v1/id-tags/SWITCH-TAG', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Accepted' }) });
  });
  after(() => t.close());

  it('a charger whose firmware update moves it from SOAP to JSON keeps its sessions, and is then called over its WebSocket', async () => {
    const url = `${t.httpUrl}/soap/ocpp16`;
    await soap16(url, 'CP-SWITCH', 'BootNotification', '<cs:bootNotificationRequest><cs:chargePointVendor>V</cs:chargePointVendor><cs:chargePointModel>M</cs:chargePointModel><cs:firmwareVersion>1.0</cs:firmwareVersion></cs:bootNotificationRequest>');
    const start = await soap16(url, 'CP-SWITCH', 'StartTransaction', '<cs:startTransactionRequest><cs:connectorId>1</cs:connectorId><cs:idTag>SWITCH-TAG</cs:idTag><cs:timestamp>2026-07-01T10:00:00Z</cs:timestamp><cs:meterStart>100</cs:meterStart></cs:startTransactionRequest>');
    const transactionId = Number(start.body.startTransactionResponse.transactionId);

    // The new firmware speaks OCPP-J: same identity, same session, stopped over the WebSocket.
    const reset: unknown[] = [];
    const cp = await t.charger('CP-SWITCH', { handlers: { Reset: async (payload) => (reset.push(payload), { status: 'Accepted' }) } });
    await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M', firmwareVersion: '2.0' });
    const stop = (await cp.call('StopTransaction', { transactionId, idTag: 'SWITCH-TAG', meterStop: 600, timestamp: '2026-07-01T11:00:00Z' })) as any;
    assert.equal(stop.idTagInfo.status, 'Accepted');
    const tx = (await (await t.api(`/api/v1/transactions/${transactionId}`)).json()) as any;
    assert.deepEqual([tx.status, tx.energyWh], ['Completed', 500]);
    const record = (await (await t.api('/api/v1/charge-points/CP-SWITCH')).json()) as any;
    assert.deepEqual([record.protocol, record.firmwareVersion, record.connected], ['ocpp1.6', '2.0', true]);
    const answer = await t.api('/api/v1/charge-points/CP-SWITCH/ocpp/Reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'Soft' }) });
    assert.equal(answer.status, 200);
    assert.deepEqual(reset, [{ type: 'Soft' }], 'over the WebSocket, not to the SOAP address');
  });

  it('CONFORMANCE 82: a request larger than the frame limit is refused without being read whole', async () => {
    const huge = envelope16('CP-HUGE', 'Authorize', `<cs:authorizeRequest><cs:idTag>${'A'.repeat(100 * 1024)}</cs:idTag></cs:authorizeRequest>`);
    const answer = await fetch(`${t.httpUrl}/soap/ocpp16`, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: huge });
    assert.equal(answer.status, 413);
    assert.match(answer.headers.get('content-type') ?? '', /^application\/soap\+xml/, 'a SOAP fault');
  });
});
