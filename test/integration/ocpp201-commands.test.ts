// The operator's commands reaching an OCPP 2.0.1 station, judged from outside: the station here is built on
// ocpp-rpc, an OCPP library the team did not write, in strict mode, so every message Voltgate sends it and every
// answer Voltgate gives is checked against that library's own copy of the 2.0.1 schemas. Remote start and stop
// through REST, the local list, and the generic command route (issue 10, point 4).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RPCClient } from 'ocpp-rpc';
import { startTestServer, type TestServer } from '../support/server.js';
import { waitFor } from '../support/webhook-receiver.js';

const ID = 'ST-STRICT';

describe('commands to an OCPP 2.0.1 station on a third-party client in strict mode', () => {
  let t: TestServer;
  let station: RPCClient;
  const received: Array<{ method: string; params: any }> = [];
  let listVersion = 0;

  before(async () => {
    t = await startTestServer();
    await t.api('/api/v1/id-tags/APP-201', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Accepted' }) });
    await t.api('/api/v1/id-tags/LOST-201', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Blocked' }) });
    // A 2.x token longer than a 1.6 idTag, and of a known type.
    await t.api('/api/v1/id-tags/EMAID-NL-VOL-C12345678-9', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Accepted', idTokenType: 'eMAID' }) });
    station = new RPCClient({ endpoint: t.wsUrl, identity: ID, protocols: ['ocpp2.0.1'], strictMode: true, reconnect: false } as never);
    station.handle((({ method, params }: { method: string; params: any }) => {
      received.push({ method, params });
      switch (method) {
        case 'RequestStartTransaction':
        case 'RequestStopTransaction':
          return { status: 'Accepted' };
        case 'GetVariables':
          return {
            getVariableResult: params.getVariableData.map((d: any) => ({
              attributeStatus: 'Accepted',
              attributeValue: d.variable.name === 'BytesPerMessage' ? '4096' : '2',
              component: d.component,
              variable: d.variable,
            })),
          };
        case 'SendLocalList':
          listVersion = params.versionNumber;
          return { status: 'Accepted' };
        case 'GetLocalListVersion':
          return { versionNumber: listVersion };
        case 'ClearCache':
        case 'Reset':
          return { status: 'Accepted' };
        default:
          throw new Error(`unexpected ${method}`);
      }
    }) as never);
    await station.connect();
    const boot: any = await station.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'ocpp-rpc', model: 'strict' } });
    assert.equal(boot.status, 'Accepted');
    await station.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: 1, connectorId: 1 });
  });
  after(async () => {
    await station.close({ force: true });
    await t.close();
  });

  it('issue 10 / F01: remote start over REST reaches the station as RequestStartTransaction; its TransactionEvent with the remoteStartId makes the start request Started with the session id', async () => {
    const r = await t.api(`/api/v1/charge-points/${ID}/remote-start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idTag: 'APP-201', evseId: 1 }) });
    assert.equal(r.status, 200);
    const { status, startRequestId } = (await r.json()) as any;
    assert.equal(status, 'Accepted');
    const request = received.find((m) => m.method === 'RequestStartTransaction')!;
    assert.deepEqual(request.params.idToken, { idToken: 'APP-201', type: 'Central' });
    assert.equal(request.params.evseId, 1);
    assert.ok(Number.isInteger(request.params.remoteStartId) && request.params.remoteStartId > 0);

    const tx = 'strict-tx-0001';
    const at = new Date().toISOString();
    const started: any = await station.call('TransactionEvent', {
      eventType: 'Started', timestamp: at, triggerReason: 'RemoteStart', seqNo: 0,
      transactionInfo: { transactionId: tx, remoteStartId: request.params.remoteStartId, chargingState: 'Charging' },
      evse: { id: 1, connectorId: 1 }, idToken: { idToken: 'APP-201', type: 'Central' },
      meterValue: [{ timestamp: at, sampledValue: [{ value: 5000, context: 'Transaction.Begin' }] }],
    });
    assert.equal(started.idTokenInfo.status, 'Accepted');
    const startRequest = (await (await t.api(`/api/v1/start-requests/${startRequestId}`)).json()) as any;
    assert.equal(startRequest.status, 'Started');
    const session = (await (await t.api(`/api/v1/transactions/${startRequest.transactionId}`)).json()) as any;
    assert.equal(session.chargerTransactionId, tx);

    // F03: the stop names the session by Voltgate's id; the station hears its own transaction id.
    const stop = await t.api(`/api/v1/charge-points/${ID}/remote-stop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ transactionId: session.id }) });
    assert.equal(stop.status, 200);
    assert.deepEqual(await stop.json(), { status: 'Accepted' });
    assert.deepEqual(received.find((m) => m.method === 'RequestStopTransaction')?.params, { transactionId: tx });
    await station.call('TransactionEvent', {
      eventType: 'Ended', timestamp: new Date().toISOString(), triggerReason: 'RemoteStop', seqNo: 1,
      transactionInfo: { transactionId: tx, stoppedReason: 'Remote' },
      meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: 5.5, context: 'Transaction.End', unitOfMeasure: { unit: 'kWh' } }] }],
    });
    const ended = (await (await t.api(`/api/v1/transactions/${session.id}`)).json()) as any;
    assert.deepEqual([ended.status, ended.stopReason, ended.meterStopWh, ended.energyWh], ['Completed', 'Remote', 5500, 500]);
  });

  it('D01 / CONFORMANCE 45–47: the whitelist goes to the station in 2.0.1 shape (chunked per ItemsPerMessage), its version and cache through the same routes as 1.6', async () => {
    const push = await t.api(`/api/v1/charge-points/${ID}/local-list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ updateType: 'Full' }) });
    assert.equal(push.status, 200);
    const result = (await push.json()) as any;
    assert.equal(result.status, 'Accepted');
    const asked = received.find((m) => m.method === 'GetVariables')!;
    assert.deepEqual(asked.params.getVariableData, [
      { component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'ItemsPerMessage' } },
      { component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'BytesPerMessage' } },
    ]);
    const sent = received.filter((m) => m.method === 'SendLocalList');
    assert.equal(sent[0].params.updateType, 'Full');
    assert.ok(sent.every((m) => (m.params.localAuthorizationList ?? []).length <= 2), 'within ItemsPerMessage');
    const entries = sent.flatMap((m) => m.params.localAuthorizationList ?? []);
    assert.deepEqual(
      entries.map((e: any) => [e.idToken.idToken, e.idToken.type, e.idTokenInfo?.status]).sort(),
      [['APP-201', 'ISO14443', 'Accepted'], ['EMAID-NL-VOL-C12345678-9', 'eMAID', 'Accepted'], ['LOST-201', 'ISO14443', 'Blocked']],
      'each token with its type (unknown: ISO14443)',
    );
    const version = (await (await t.api(`/api/v1/charge-points/${ID}/local-list/version`)).json()) as any;
    assert.equal(version.listVersion, result.listVersion);
    const cleared = await t.api(`/api/v1/charge-points/${ID}/clear-cache`, { method: 'POST' });
    assert.deepEqual(await cleared.json(), { status: 'Accepted' });
  });

  it('issue 10: the command route checks a 2.0.1 station’s payload against the 2.0.1 schema (a 1.6-shaped Reset is 400)', async () => {
    const bad = await t.api(`/api/v1/charge-points/${ID}/ocpp/Reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'Hard' }) });
    assert.equal(bad.status, 400);
    const ok = await t.api(`/api/v1/charge-points/${ID}/ocpp/Reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'Immediate' }) });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { status: 'Accepted' });
    await waitFor(() => received.find((m) => m.method === 'Reset'), 2000, 'Reset at the station');
    const unknown = await t.api(`/api/v1/charge-points/${ID}/ocpp/RemoteStartTransaction`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idTag: 'X' }) });
    assert.equal(unknown.status, 404, 'a 1.6 action is not one a 2.0.1 station can be sent');
  });
});
