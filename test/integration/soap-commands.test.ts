// Commands to SOAP chargers over real HTTP: Voltgate calls the ChargePointService the charger announced (a real
// HTTP server in this test, answering with envelopes written by hand), with the headers a strict service expects,
// and every way the call can fail answers the REST caller clearly.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { CS15_NS, envelope, NO_SERVICE, postSoap, soap16, soap16From } from '../support/soap-charger.js';
import { cpAnswer15, cpAnswer16, SoapStation, type ReceivedCall } from '../support/soap-station.js';
import { waitFor } from '../support/webhook-receiver.js';

const json = { 'content-type': 'application/json' };

describe('commands to SOAP 1.6 chargers', () => {
  let t: TestServer;
  let station: SoapStation;
  let answer: (call: ReceivedCall) => { status?: number; contentType?: string; text: string } | Promise<{ status?: number; contentType?: string; text: string }>;
  const post = (path: string, body: unknown) => t.api(path, { method: 'POST', headers: json, body: JSON.stringify(body) });

  /** A SOAP charger that announces `from` as its own service in its boot. */
  async function boot(id: string, from: string) {
    const answer = await soap16From(`${t.httpUrl}/soap/ocpp16`, id, from, 'BootNotification', '<cs:bootNotificationRequest><cs:chargePointVendor>V</cs:chargePointVendor><cs:chargePointModel>M</cs:chargePointModel></cs:bootNotificationRequest>');
    assert.equal(answer.status, 200);
  }

  before(async () => {
    t = await startTestServer({ callTimeoutMs: 500, remoteStartTimeoutS: 5 });
    station = await SoapStation.start((call) => answer(call));
    await t.api('/api/v1/id-tags/SOAP-REMOTE', { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Accepted' }) });
  });
  after(async () => {
    await station.close();
    await t.close();
  });

  it('CONFORMANCE 80: a remote start reaches the announced endpoint with every addressing header, and its session settles the start request', async () => {
    answer = (call) => cpAnswer16(call, '<cp:remoteStartTransactionResponse><cp:status>Accepted</cp:status></cp:remoteStartTransactionResponse>');
    await boot('CP-SOAP-CMD', station.url);
    const response = await post('/api/v1/charge-points/CP-SOAP-CMD/remote-start', { idTag: 'SOAP-REMOTE', connectorId: 1 });
    assert.equal(response.status, 200);
    const started = (await response.json()) as any;
    assert.equal(started.status, 'Accepted');
    const call = station.calls.at(-1)!;
    assert.match(call.contentType ?? '', /^application\/soap\+xml/);
    assert.deepEqual(call.body.remoteStartTransactionRequest, { connectorId: '1', idTag: 'SOAP-REMOTE' });
    assert.equal(call.header.chargeBoxIdentity, 'CP-SOAP-CMD');
    assert.equal(call.header.Action, '/RemoteStartTransaction');
    assert.match(call.header.MessageID, /^urn:uuid:/);
    assert.equal(call.header.To, station.url);
    assert.equal(call.header.From, 'http://csms/soap', 'our address as the charger calls it');
    assert.equal(call.header.ReplyTo, 'http://www.w3.org/2005/08/addressing/anonymous');

    const start = await soap16(`${t.httpUrl}/soap/ocpp16`, 'CP-SOAP-CMD', 'StartTransaction', '<cs:startTransactionRequest><cs:connectorId>1</cs:connectorId><cs:idTag>SOAP-REMOTE</cs:idTag><cs:timestamp>2026-06-01T10:00:00Z</cs:timestamp><cs:meterStart>0</cs:meterStart></cs:startTransactionRequest>');
    const settled = (await (await t.api(`/api/v1/start-requests/${started.startRequestId}`)).json()) as any;
    assert.deepEqual([settled.status, settled.transactionId], ['Started', Number(start.body.startTransactionResponse.transactionId)]);
  });

  it('the generic command route is checked against the WSDL and returns the charger\'s answer; the command history has it', async () => {
    answer = (call) =>
      cpAnswer16(call, '<cp:getConfigurationResponse><cp:configurationKey><cp:key>HeartbeatInterval</cp:key><cp:readonly>false</cp:readonly><cp:value>300</cp:value></cp:configurationKey></cp:getConfigurationResponse>');
    await boot('CP-SOAP-CFG', station.url);
    const response = await post('/api/v1/charge-points/CP-SOAP-CFG/ocpp/GetConfiguration', { key: ['HeartbeatInterval'] });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }] });
    assert.equal((await post('/api/v1/charge-points/CP-SOAP-CFG/ocpp/GetConfiguration', { key: 'HeartbeatInterval' })).status, 400);
    assert.equal((await post('/api/v1/charge-points/CP-SOAP-CFG/ocpp/SignedUpdateFirmware', {})).status, 404, 'not an operation of the 1.6 SOAP service');
    const history = (await (await t.api('/api/v1/charge-points/CP-SOAP-CFG/commands')).json()) as any;
    assert.equal(history.items[0].action, 'GetConfiguration');
  });

  it('CONFORMANCE 79, 83: no endpoint, an unreachable one, a fault, an HTML page and a slow answer each fail the command clearly', async () => {
    const reset = (id: string) => post(`/api/v1/charge-points/${id}/ocpp/Reset`, { type: 'Soft' });
    await boot('CP-SOAP-NONE', 'http://www.w3.org/2005/08/addressing/anonymous');
    const none = await reset('CP-SOAP-NONE');
    assert.equal(none.status, 409);
    assert.match(((await none.json()) as any).error.message, /no SOAP endpoint/);

    await boot('CP-SOAP-GONE', 'http://127.0.0.1:9/ocpp');
    const gone = await reset('CP-SOAP-GONE');
    assert.deepEqual([gone.status, ((await gone.json()) as any).error.code], [502, 'charger_unreachable']);

    await boot('CP-SOAP-ODD', station.url);
    answer = () => ({ status: 200, contentType: 'text/html', text: '<html><body>Please log in</body></html>' });
    const html = await reset('CP-SOAP-ODD');
    assert.deepEqual([html.status, ((await html.json()) as any).error.code], [502, 'charger_unreachable']);

    answer = (call) => ({
      status: 400,
      text: cpAnswer16(call, '<soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value><soap:Subcode><soap:Value>cp:SecurityError</soap:Value></soap:Subcode></soap:Code><soap:Reason><soap:Text xml:lang="en">who are you</soap:Text></soap:Reason></soap:Fault>').text,
    });
    const fault = await reset('CP-SOAP-ODD');
    assert.equal(fault.status, 502);
    assert.match(((await fault.json()) as any).error.message, /SecurityError: who are you/);

    answer = async (call) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return cpAnswer16(call, '<cp:resetResponse><cp:status>Accepted</cp:status></cp:resetResponse>');
    };
    const slow = await reset('CP-SOAP-ODD');
    assert.equal(slow.status, 504);

    answer = (call) => cpAnswer16(call, '<cp:resetResponse><cp:status>Accepted</cp:status></cp:resetResponse>');
    const fine = await reset('CP-SOAP-ODD');
    assert.deepEqual([fine.status, await fine.json()], [200, { status: 'Accepted' }]);
  });
});

describe('every REST command, and the automatic list sync, reach a SOAP 1.6 charger', () => {
  let t: TestServer;
  let station: SoapStation;
  let service: string;
  const id = 'CP-SOAP-ALL';
  /** The charger's own state: the local list version it holds. */
  let listVersion = 0;
  const post = (path: string, body: unknown = {}) => t.api(path, { method: 'POST', headers: json, body: JSON.stringify(body) });
  const received = (element: string) => station.calls.filter((call) => call.body[element] !== undefined).map((call) => call.body[element]);
  const send = (action: string, body: string) => soap16From(service, id, station.url, action, body);

  before(async () => {
    t = await startTestServer({ localListSync: true });
    service = `${t.httpUrl}/soap/ocpp16`;
    station = await SoapStation.start((call) => {
      const [element] = Object.keys(call.body);
      const status = (name: string, value: string) => cpAnswer16(call, `<cp:${name}><cp:status>${value}</cp:status></cp:${name}>`);
      switch (element) {
        case 'getLocalListVersionRequest':
          return cpAnswer16(call, `<cp:getLocalListVersionResponse><cp:listVersion>${listVersion}</cp:listVersion></cp:getLocalListVersionResponse>`);
        case 'sendLocalListRequest':
          listVersion = Number(call.body.sendLocalListRequest.listVersion);
          return status('sendLocalListResponse', 'Accepted');
        case 'getConfigurationRequest':
          return cpAnswer16(call, '<cp:getConfigurationResponse/>');
        case 'clearCacheRequest':
          return status('clearCacheResponse', 'Accepted');
        case 'resetRequest':
          return status('resetResponse', 'Accepted');
        case 'unlockConnectorRequest':
          return status('unlockConnectorResponse', 'Unlocked');
        case 'changeConfigurationRequest':
          return status('changeConfigurationResponse', 'RebootRequired');
        case 'triggerMessageRequest':
          return status('triggerMessageResponse', 'Accepted');
        case 'remoteStopTransactionRequest':
          return status('remoteStopTransactionResponse', 'Accepted');
        default:
          return { status: 500, text: `unexpected ${element}` };
      }
    });
    await t.api('/api/v1/id-tags/SYNC-1', { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Accepted' }) });
  });
  after(async () => {
    await station.close();
    await t.close();
  });

  it('a booted charger gets the whitelist; a change to it reaches the charger within seconds, a blocked tag with ClearCache', async () => {
    assert.equal((await send('BootNotification', '<cs:bootNotificationRequest><cs:chargePointVendor>V</cs:chargePointVendor><cs:chargePointModel>M</cs:chargePointModel></cs:bootNotificationRequest>')).status, 200);
    await waitFor(() => received('sendLocalListRequest').length === 1, 10_000, 'the whitelist after the boot');
    assert.equal(received('sendLocalListRequest')[0].localAuthorizationList.idTag, 'SYNC-1');

    await t.api('/api/v1/id-tags/SYNC-2', { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Accepted' }) });
    await waitFor(() => received('sendLocalListRequest').length === 2, 10_000, 'the new tag, pushed by itself');
    const added = received('sendLocalListRequest')[1];
    assert.deepEqual([added.updateType, added.localAuthorizationList.idTag, added.localAuthorizationList.idTagInfo.status], ['Differential', 'SYNC-2', 'Accepted']);

    await t.api('/api/v1/id-tags/SYNC-1', { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Blocked' }) });
    await waitFor(() => received('clearCacheRequest').length === 1, 10_000, 'ClearCache after the block');
    const blocked = received('sendLocalListRequest')[2];
    assert.deepEqual([blocked.updateType, blocked.localAuthorizationList.idTag, blocked.localAuthorizationList.idTagInfo.status], ['Differential', 'SYNC-1', 'Blocked']);
  });

  it('local list Full and Differential, its version, clear cache, reset, unlock, change configuration, trigger and remote stop: each reaches the charger and returns its answer', async () => {
    const answerOf = async (response: Response) => [response.status, await response.json()];
    const full = await answerOf(await post(`/api/v1/charge-points/${id}/local-list`, { updateType: 'Full' }));
    assert.deepEqual(full, [200, { status: 'Accepted', listVersion, updateType: 'Full', entries: 2, omitted: 0 }]);
    assert.equal(received('sendLocalListRequest').at(-1).updateType, 'Full');
    const differential = await post(`/api/v1/charge-points/${id}/local-list`, { updateType: 'Differential' });
    assert.equal(differential.status, 200);
    assert.deepEqual(await answerOf(await t.api(`/api/v1/charge-points/${id}/local-list/version`)), [200, { listVersion }]);
    assert.deepEqual(await answerOf(await post(`/api/v1/charge-points/${id}/clear-cache`)), [200, { status: 'Accepted' }]);
    assert.deepEqual(await answerOf(await post(`/api/v1/charge-points/${id}/ocpp/Reset`, { type: 'Hard' })), [200, { status: 'Accepted' }]);
    assert.deepEqual(received('resetRequest').at(-1), { type: 'Hard' });
    assert.deepEqual(await answerOf(await post(`/api/v1/charge-points/${id}/ocpp/UnlockConnector`, { connectorId: 2 })), [200, { status: 'Unlocked' }]);
    assert.deepEqual(received('unlockConnectorRequest').at(-1), { connectorId: '2' });
    assert.deepEqual(await answerOf(await post(`/api/v1/charge-points/${id}/ocpp/ChangeConfiguration`, { key: 'MeterValueSampleInterval', value: '60' })), [200, { status: 'RebootRequired' }]);
    assert.deepEqual(received('changeConfigurationRequest').at(-1), { key: 'MeterValueSampleInterval', value: '60' });
    assert.deepEqual(await answerOf(await post(`/api/v1/charge-points/${id}/ocpp/TriggerMessage`, { requestedMessage: 'StatusNotification', connectorId: 1 })), [200, { status: 'Accepted' }]);
    assert.deepEqual(received('triggerMessageRequest').at(-1), { requestedMessage: 'StatusNotification', connectorId: '1' });

    const start = await send('StartTransaction', '<cs:startTransactionRequest><cs:connectorId>1</cs:connectorId><cs:idTag>SYNC-2</cs:idTag><cs:timestamp>2026-06-02T10:00:00Z</cs:timestamp><cs:meterStart>0</cs:meterStart></cs:startTransactionRequest>');
    const transactionId = Number(start.body.startTransactionResponse.transactionId);
    assert.deepEqual(await answerOf(await post(`/api/v1/charge-points/${id}/remote-stop`, { transactionId })), [200, { status: 'Accepted' }]);
    assert.deepEqual(received('remoteStopTransactionRequest').at(-1), { transactionId: String(transactionId) });
    const history = (await (await t.api(`/api/v1/charge-points/${id}/commands?limit=100`)).json()) as any;
    const actions = new Set(history.items.map((item: any) => item.action));
    for (const action of ['SendLocalList', 'GetLocalListVersion', 'ClearCache', 'Reset', 'UnlockConnector', 'ChangeConfiguration', 'TriggerMessage', 'RemoteStopTransaction']) assert.ok(actions.has(action), `${action} in the command history`);
  });
});

describe('a SOAP charger heard from again after a silence', () => {
  let t: TestServer;
  let station: SoapStation;
  let listVersion = 0;
  const sent: any[] = [];
  before(async () => {
    t = await startTestServer({ localListSync: true, offlineAfterS: 2 });
    station = await SoapStation.start((call) => {
      if (call.body.getLocalListVersionRequest !== undefined) return cpAnswer16(call, `<cp:getLocalListVersionResponse><cp:listVersion>${listVersion}</cp:listVersion></cp:getLocalListVersionResponse>`);
      if (call.body.getConfigurationRequest) return cpAnswer16(call, '<cp:getConfigurationResponse/>');
      if (call.body.sendLocalListRequest) {
        sent.push(call.body.sendLocalListRequest);
        listVersion = Number(call.body.sendLocalListRequest.listVersion);
        return cpAnswer16(call, '<cp:sendLocalListResponse><cp:status>Accepted</cp:status></cp:sendLocalListResponse>');
      }
      return { status: 500, text: 'unexpected' };
    });
  });
  after(async () => {
    await station.close();
    await t.close();
  });

  it('is brought up to date with what changed while it was away, as a charger that reconnects', async () => {
    const service = `${t.httpUrl}/soap/ocpp16`;
    await soap16From(service, 'CP-SOAP-AWAY', station.url, 'BootNotification', '<cs:bootNotificationRequest><cs:chargePointVendor>V</cs:chargePointVendor><cs:chargePointModel>M</cs:chargePointModel></cs:bootNotificationRequest>');
    await waitFor(async () => ((await (await t.api('/api/v1/charge-points/CP-SOAP-AWAY')).json()) as any).connected === false, 10_000, 'the charger gone quiet');
    await t.api('/api/v1/id-tags/AWAY-1', { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Accepted' }) });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(sent.filter((list) => list.localAuthorizationList?.idTag === 'AWAY-1').length, 0, 'nothing sent to a charger that is away');
    await soap16From(service, 'CP-SOAP-AWAY', station.url, 'Heartbeat', '<cs:heartbeatRequest/>');
    await waitFor(() => sent.find((list) => list.localAuthorizationList?.idTag === 'AWAY-1'), 10_000, 'the tag added while it was away');
  });
});

describe('commands to SOAP 1.5 chargers', () => {
  let t: TestServer;
  let station: SoapStation;
  before(async () => {
    t = await startTestServer({ callTimeoutMs: 1000 });
    station = await SoapStation.start((call) => {
      const [element] = Object.keys(call.body);
      if (element === 'getLocalListVersionRequest') return cpAnswer15(call, '<cp:getLocalListVersionResponse><cp:listVersion>0</cp:listVersion></cp:getLocalListVersionResponse>');
      if (element === 'getConfigurationRequest') return cpAnswer15(call, '<cp:getConfigurationResponse/>');
      if (element === 'sendLocalListRequest') return cpAnswer15(call, '<cp:sendLocalListResponse><cp:status>Accepted</cp:status></cp:sendLocalListResponse>');
      if (element === 'unlockConnectorRequest') return cpAnswer15(call, '<cp:unlockConnectorResponse><cp:status>Accepted</cp:status></cp:unlockConnectorResponse>');
      for (const accepted of ['remoteStartTransaction', 'remoteStopTransaction', 'reset', 'clearCache', 'changeConfiguration']) {
        if (element === `${accepted}Request`) return cpAnswer15(call, `<cp:${accepted}Response><cp:status>Accepted</cp:status></cp:${accepted}Response>`);
      }
      return { status: 500, text: 'unexpected' };
    });
    await t.api('/api/v1/id-tags/LIST-15', { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Accepted' }) });
  });
  after(async () => {
    await station.close();
    await t.close();
  });

  it("the local list reaches a 1.5 charger in 1.5's words (localAuthorisationList), and a command's 1.5 answer comes back as the charger gave it", async () => {
    const boot = envelope(CS15_NS, 'CP-SOAP-15', 'BootNotification', '<cs:bootNotificationRequest><cs:chargePointVendor>V</cs:chargePointVendor><cs:chargePointModel>M</cs:chargePointModel></cs:bootNotificationRequest>');
    assert.equal((await postSoap(`${t.httpUrl}/soap/ocpp15`, boot.replace(NO_SERVICE, station.url))).status, 200);
    const push = await t.api('/api/v1/charge-points/CP-SOAP-15/local-list', { method: 'POST', headers: json, body: JSON.stringify({ updateType: 'Full' }) });
    assert.equal(push.status, 200);
    assert.equal(((await push.json()) as any).status, 'Accepted');
    const sent = station.calls.find((call) => call.body.sendLocalListRequest)!.body.sendLocalListRequest;
    assert.equal(sent.updateType, 'Full');
    assert.equal(sent.localAuthorisationList.idTag, 'LIST-15');
    assert.equal(sent.localAuthorizationList, undefined);
    const unlock = await t.api('/api/v1/charge-points/CP-SOAP-15/ocpp/UnlockConnector', { method: 'POST', headers: json, body: JSON.stringify({ connectorId: 1 }) });
    assert.deepEqual([unlock.status, await unlock.json()], [200, { status: 'Accepted' }]);
  });

  it('remote start and stop, reset, clear cache and change configuration reach a 1.5 charger and return its answers', async () => {
    const answerOf = async (path: string, body: unknown = {}) => {
      const response = await t.api(`/api/v1/charge-points/CP-SOAP-15${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) });
      return [response.status, ((await response.json()) as any).status];
    };
    const received = (element: string) => station.calls.filter((call) => call.body[element] !== undefined).at(-1)?.body[element];
    assert.deepEqual(await answerOf('/remote-start', { idTag: 'LIST-15', connectorId: 1 }), [200, 'Accepted']);
    assert.deepEqual(received('remoteStartTransactionRequest'), { connectorId: '1', idTag: 'LIST-15' });
    const start = await postSoap(
      `${t.httpUrl}/soap/ocpp15`,
      envelope(CS15_NS, 'CP-SOAP-15', 'StartTransaction', '<cs:startTransactionRequest><cs:connectorId>1</cs:connectorId><cs:idTag>LIST-15</cs:idTag><cs:timestamp>2026-06-03T10:00:00Z</cs:timestamp><cs:meterStart>0</cs:meterStart></cs:startTransactionRequest>').replace(NO_SERVICE, station.url),
    );
    const transactionId = Number(start.body.startTransactionResponse.transactionId);
    assert.deepEqual(await answerOf('/remote-stop', { transactionId }), [200, 'Accepted']);
    assert.deepEqual(received('remoteStopTransactionRequest'), { transactionId: String(transactionId) });
    assert.deepEqual(await answerOf('/ocpp/Reset', { type: 'Soft' }), [200, 'Accepted']);
    assert.deepEqual(received('resetRequest'), { type: 'Soft' });
    assert.deepEqual(await answerOf('/clear-cache'), [200, 'Accepted']);
    assert.deepEqual(await answerOf('/ocpp/ChangeConfiguration', { key: 'HeartbeatInterval', value: '600' }), [200, 'Accepted']);
    assert.deepEqual(received('changeConfigurationRequest'), { key: 'HeartbeatInterval', value: '600' });
  });
});
