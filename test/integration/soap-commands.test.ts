// Commands to SOAP chargers over real HTTP: Voltgate calls the ChargePointService the charger announced (a real
// HTTP server in this test, answering with envelopes written by hand), with the headers a strict service expects,
// and every way the call can fail answers the REST caller clearly.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { CS15_NS, envelope, envelope16, postSoap, soap16 } from '../support/soap-charger.js';
import { cpAnswer15, cpAnswer16, SoapStation, type ReceivedCall } from '../support/soap-station.js';

const json = { 'content-type': 'application/json' };

describe('commands to SOAP 1.6 chargers', () => {
  let t: TestServer;
  let station: SoapStation;
  let answer: (call: ReceivedCall) => { status?: number; contentType?: string; text: string } | Promise<{ status?: number; contentType?: string; text: string }>;
  const post = (path: string, body: unknown) => t.api(path, { method: 'POST', headers: json, body: JSON.stringify(body) });

  /** A SOAP charger that announces `from` as its own service in its boot. */
  async function boot(id: string, from: string) {
    const envelope = envelope16(id, 'BootNotification', '<cs:bootNotificationRequest><cs:chargePointVendor>V</cs:chargePointVendor><cs:chargePointModel>M</cs:chargePointModel></cs:bootNotificationRequest>');
    const answer = await postSoap(`${t.httpUrl}/soap/ocpp16`, envelope.replace('http://127.0.0.1:1/ocpp', from));
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
    assert.equal((await postSoap(`${t.httpUrl}/soap/ocpp15`, boot.replace('http://127.0.0.1:1/ocpp', station.url))).status, 200);
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
});
