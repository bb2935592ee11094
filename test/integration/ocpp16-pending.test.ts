// CONFORMANCE 34 and 73 for OCPP 1.6: until its boot is accepted a charger is served BootNotification, what the
// Central System asked for with TriggerMessage, and its money (answered, kept, flagged); nothing else. Remote start
// and stop are not sent to it. A charger already accepted that reconnects without booting is served. Over wss://
// (with a 2.0.1 station too) and over ws://.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectRpc } from '../../src/ocpp/rpc/client.js';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';
import { startWebhookReceiver, waitFor, type WebhookReceiver } from '../support/webhook-receiver.js';
import { createTestPki, type TestPki } from '../support/certificates.js';
import { openRawCharger, type RawCharger } from '../support/raw-charger.js';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';

const json = { 'content-type': 'application/json' };
const available = { connectorId: 1, errorCode: 'NoError', status: 'Available' };

let pki: TestPki;
before(() => {
  pki = createTestPki('Voltgate Pending CA');
});
after(() => pki.cleanup());

/** A server with TLS: its wss:// URL and the CA to trust, for the chargers. */
async function startOverTls(overrides: Parameters<typeof startTestServer>[0]) {
  const certificate = pki.server(`server-${Math.random().toString(36).slice(2)}`, 'ecdsa');
  return startTestServer({ tlsCert: certificate.certFile, tlsKey: certificate.keyFile, tlsPort: 0, ...overrides });
}

for (const transport of ['wss', 'ws'] as const) describe(`OCPP 1.6 charger whose boot is not accepted (${transport}://)`, () => {
  let t: TestServer;
  let raw: RawCharger;
  let receiver: WebhookReceiver;
  const id = 'CP-PENDING-16';

  /** Sends a CALL and reads its answer (nothing else is in flight on this socket when it is used). */
  async function call(messageId: string, action: string, payload: object): Promise<any[]> {
    raw.send([2, messageId, action, payload]);
    return raw.next();
  }

  const connectors = async () => ((await (await t.api(`/api/v1/charge-points/${id}`)).json()) as any).connectors as any[];

  before(async () => {
    t = transport === 'wss' ? await startOverTls({ unknownChargers: 'pending' }) : await startTestServer({ unknownChargers: 'pending' });
    receiver = await startWebhookReceiver();
    const hook = await t.api('/api/v1/webhooks', { method: 'POST', headers: json, body: JSON.stringify({ url: receiver.url, events: ['transaction.started', 'transaction.stopped'], secret: 'pending-secret-1' }) });
    assert.equal(hook.status, 201);
    raw = transport === 'wss' ? await openRawCharger(`${t.tls!.wssUrl}/${id}`, ['ocpp1.6'], { ca: pki.ca }) : await openRawCharger(`${t.wsUrl}/${id}`);
    const [, , boot] = await call('boot', 'BootNotification', bootPayload);
    assert.equal(boot.status, 'Pending');
  });
  after(async () => {
    raw.close();
    await t.close();
    await receiver.close();
  });

  it('CONFORMANCE 34: StatusNotification and Heartbeat get CALLERROR SecurityError, saying why, and nothing is recorded', async () => {
    const refused = await call('s1', 'StatusNotification', available);
    assert.deepEqual(refused.slice(0, 3), [4, 's1', 'SecurityError']);
    assert.match(refused[3], /Pending/);
    assert.deepEqual(await connectors(), []);
    const heartbeat = await call('h1', 'Heartbeat', {});
    assert.deepEqual(heartbeat.slice(0, 3), [4, 'h1', 'SecurityError']);
  });

  it('OCPP 1.6 §4.2 "unless requested by Central System": a StatusNotification asked for with TriggerMessage is served, once', async () => {
    const answer = t.api(`/api/v1/charge-points/${id}/ocpp/TriggerMessage`, { method: 'POST', headers: json, body: JSON.stringify({ requestedMessage: 'StatusNotification', connectorId: 1 }) });
    const [type, triggerId, action, payload] = await raw.next();
    assert.deepEqual([type, action, payload], [2, 'TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 1 }]);
    // Answer and message back to back, as a charger does: the message may be handled before the answer settles.
    raw.send([3, triggerId, { status: 'Accepted' }]);
    raw.send([2, 's2', 'StatusNotification', available]);
    const response = await answer;
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'Accepted' });
    assert.deepEqual(await raw.next(), [3, 's2', {}]);
    assert.deepEqual((await connectors()).map((c) => [c.connectorId, c.status]), [[1, 'Available']]);
    // That trigger asked for one message: the next one unasked is refused again.
    assert.equal((await call('s3', 'StatusNotification', { ...available, status: 'Unavailable' }))[2], 'SecurityError');
    assert.deepEqual((await connectors()).map((c) => c.status), ['Available']);
  });

  it('a trigger the charger rejects does not let the message through', async () => {
    const answer = t.api(`/api/v1/charge-points/${id}/ocpp/TriggerMessage`, { method: 'POST', headers: json, body: JSON.stringify({ requestedMessage: 'Heartbeat' }) });
    const [, triggerId] = await raw.next();
    raw.send([3, triggerId, { status: 'Rejected' }]);
    assert.deepEqual(await (await answer).json(), { status: 'Rejected' });
    assert.equal((await call('h2', 'Heartbeat', {}))[2], 'SecurityError');
  });

  it('CONFORMANCE rule "flag, don\'t reject": StartTransaction, MeterValues and StopTransaction are answered and kept, the session flagged', async () => {
    const [type, , started] = await call('t1', 'StartTransaction', { connectorId: 1, idTag: 'PENDING-TAG', meterStart: 1000, timestamp: new Date().toISOString() });
    assert.equal(type, 3);
    assert.equal(typeof started.transactionId, 'number');
    assert.ok(started.idTagInfo);
    const meter = await call('m1', 'MeterValues', {
      connectorId: 1,
      transactionId: started.transactionId,
      meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: '1500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
    });
    assert.deepEqual(meter, [3, 'm1', {}]);
    const session = (await (await t.api(`/api/v1/transactions/${started.transactionId}`)).json()) as any;
    assert.equal(session.chargePointId, id);
    assert.ok(session.flags.includes('before-boot-accepted'), JSON.stringify(session.flags));

    // Not sent to it while Pending: refused by the API, nothing on the wire (CONFORMANCE 34; OCPP 1.6 §4.2).
    const start = await t.api(`/api/v1/charge-points/${id}/remote-start`, { method: 'POST', headers: json, body: JSON.stringify({ idTag: 'PENDING-TAG', connectorId: 1 }) });
    assert.equal(start.status, 409);
    const startError = ((await start.json()) as any).error;
    assert.equal(startError.code, 'charger_not_accepted');
    assert.match(startError.message, /Pending/);
    const stop = await t.api(`/api/v1/charge-points/${id}/remote-stop`, { method: 'POST', headers: json, body: JSON.stringify({ transactionId: started.transactionId }) });
    assert.equal(stop.status, 409);
    assert.equal(((await stop.json()) as any).error.code, 'charger_not_accepted');
    // Nor through the command route, which sends any other call to it (TriggerMessage above).
    for (const [action, payload] of [['RemoteStartTransaction', { idTag: 'PENDING-TAG', connectorId: 1 }], ['RemoteStopTransaction', { transactionId: started.transactionId }]] as const) {
      const refused = await t.api(`/api/v1/charge-points/${id}/ocpp/${action}`, { method: 'POST', headers: json, body: JSON.stringify(payload) });
      assert.equal(refused.status, 409, action);
      const error = ((await refused.json()) as any).error;
      assert.equal(error.code, 'charger_not_accepted');
      assert.match(error.message, new RegExp(`Pending: no ${action} is sent`));
    }
    assert.ok(await raw.silentFor(300), 'nothing was sent to the charger');
    const sent = ((await (await t.api(`/api/v1/charge-points/${id}/commands`)).json()) as any).items.map((c: any) => c.action);
    assert.ok(!sent.includes('RemoteStartTransaction') && !sent.includes('RemoteStopTransaction'), sent.join());

    const [stopType, , stopped] = await call('t2', 'StopTransaction', { transactionId: started.transactionId, meterStop: 2000, timestamp: new Date().toISOString() });
    assert.equal(stopType, 3);
    assert.ok(stopped);
    const ended = (await (await t.api(`/api/v1/transactions/${started.transactionId}`)).json()) as any;
    assert.equal(ended.status, 'Completed');
    assert.ok(ended.flags.includes('before-boot-accepted'));
    // The flag is the session's from its first commit: the webhooks carry it.
    // transaction.started names the session transactionId; transaction.stopped carries the session itself (id).
    for (const name of ['transaction.started', 'transaction.stopped']) {
      const delivery = await waitFor(() => receiver.deliveries.find((d) => d.json.event === name && (d.json.data.transactionId ?? d.json.data.id) === started.transactionId), 10_000, name);
      assert.ok(delivery.json.data.flags.includes('before-boot-accepted'), `${name}: ${JSON.stringify(delivery.json.data.flags)}`);
    }
  });
});

describe('OCPP 2.0.1 station whose boot is not accepted (wss://)', () => {
  it('B02.FR.09 / CONFORMANCE 34: SecurityError for anything but BootNotification and what the CSMS triggered', async () => {
    const t = await startOverTls({ unknownChargers: 'pending' });
    try {
      const status = { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: 1, connectorId: 1 };
      let triggeredAnswer: Promise<unknown> | null = null;
      const station: RpcConnection = await connectRpc({
        url: `${t.tls!.wssUrl}/ST-PENDING-TLS`, identity: 'ST-PENDING-TLS', protocols: ['ocpp2.0.1'], tls: { ca: pki.ca },
        handlers: {
          // Asked for its status, the station answers and sends it at once.
          TriggerMessage: () => {
            setImmediate(() => (triggeredAnswer = station.call('StatusNotification', status)));
            return { status: 'Accepted' };
          },
        },
      });
      const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'Voltgate', model: 'Station-201' } };
      assert.equal(((await station.call('BootNotification', boot)) as { status: string }).status, 'Pending');
      await assert.rejects(station.call('StatusNotification', status), (e: { code?: string }) => e.code === 'SecurityError');
      await assert.rejects(station.call('Heartbeat', {}), (e: { code?: string }) => e.code === 'SecurityError');
      const trigger = await t.api('/api/v1/charge-points/ST-PENDING-TLS/ocpp/TriggerMessage', { method: 'POST', headers: json, body: JSON.stringify({ requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } }) });
      assert.deepEqual(await trigger.json(), { status: 'Accepted' });
      const served = await waitFor(async () => triggeredAnswer, 5000, 'the triggered StatusNotification');
      assert.deepEqual(await served, {}, 'what the CSMS asked for is served while Pending');
      station.terminate();
    } finally {
      await t.close();
    }
  });
});

describe('OCPP 1.6 charger already accepted', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ unknownChargers: 'reject' });
    const put = await t.api('/api/v1/charge-points/CP-BACK', { method: 'PUT', headers: json, body: JSON.stringify({ registrationStatus: 'Accepted' }) });
    assert.equal(put.status, 200);
    const tag = await t.api('/api/v1/id-tags/BACK-TAG', { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Accepted' }) });
    assert.ok(tag.ok);
  });
  after(() => t.close());

  it('CONFORMANCE 73: reconnecting without a BootNotification, it is served and commands work', async () => {
    const first = await t.charger('CP-BACK');
    assert.equal(((await first.call('BootNotification', bootPayload)) as any).status, 'Accepted');
    first.terminate();
    await new Promise((resolve) => setTimeout(resolve, 100));

    const remoteStarts: unknown[] = [];
    const again = await t.charger('CP-BACK', {
      handlers: {
        RemoteStartTransaction: (payload) => {
          remoteStarts.push(payload);
          return { status: 'Accepted' };
        },
      },
    });
    assert.deepEqual(await again.call('StatusNotification', available), {});
    assert.equal(typeof ((await again.call('Heartbeat', {})) as any).currentTime, 'string');
    const start = await t.api('/api/v1/charge-points/CP-BACK/remote-start', { method: 'POST', headers: json, body: JSON.stringify({ idTag: 'BACK-TAG', connectorId: 1 }) });
    assert.equal(start.status, 200);
    assert.equal(((await start.json()) as any).status, 'Accepted');
    assert.deepEqual(remoteStarts, [{ connectorId: 1, idTag: 'BACK-TAG' }]);
  });
});
