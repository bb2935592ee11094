// Charger-initiated OCPP 1.6 messages other than transactions, and the handshake rules that need the whole server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';

function openRaw(url: string, protocols?: string[]): Promise<{ status: number; socket?: WebSocket; protocol?: string }> {
  return new Promise((resolve) => {
    const socket = protocols ? new WebSocket(url, protocols) : new WebSocket(url);
    socket.once('open', () => resolve({ status: 101, socket, protocol: socket.protocol }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
    });
    socket.once('error', () => resolve({ status: 0 }));
  });
}

describe('OCPP 1.6 core messages', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ unknownChargers: 'reject' });
    for (const id of ['CP-CORE', 'CP-PENDING', 'CP-NOPROTO']) {
      const registrationStatus = id === 'CP-PENDING' ? 'Pending' : 'Accepted';
      const r = await t.api(`/api/v1/charge-points/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ registrationStatus }) });
      assert.equal(r.status, 200);
    }
    const tags: Array<[string, object]> = [
      ['GOOD', { status: 'Accepted', parentIdTag: 'FLEET', expiryDate: '2099-01-01T00:00:00.000Z' }],
      ['FLEET', { status: 'Accepted' }],
      ['BLOCKED', { status: 'Blocked' }],
      ['OLD', { status: 'Accepted', expiryDate: '2020-01-01T00:00:00.000Z' }],
    ];
    for (const [idTag, body] of tags) {
      await t.api(`/api/v1/id-tags/${idTag}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    }
  });
  after(() => t.close());

  it('OCPP-J 1.6 §3.2 / CONFORMANCE 21: an unknown identity is refused with HTTP 404 before the upgrade', async () => {
    const r = await openRaw(`${t.wsUrl}/NOT-REGISTERED`, ['ocpp1.6']);
    assert.equal(r.status, 404);
  });

  it('CONFORMANCE 20: a charger that offers no subprotocol is served as OCPP 1.6', async () => {
    const r = await openRaw(`${t.wsUrl}/CP-NOPROTO`);
    assert.equal(r.status, 101);
    const answer = await new Promise<any>((resolve) => {
      r.socket!.once('message', (data) => resolve(JSON.parse(String(data))));
      r.socket!.send(JSON.stringify([2, 'b1', 'BootNotification', bootPayload]));
    });
    assert.equal(answer[0], 3);
    assert.equal(answer[2].status, 'Accepted');
    r.socket!.close();
  });

  it('BootNotification from a registered charger is Accepted with the heartbeat interval; a Pending one gets Pending', async () => {
    const cp = await t.charger('CP-CORE');
    const boot = (await cp.call('BootNotification', bootPayload)) as any;
    assert.equal(boot.status, 'Accepted');
    assert.equal(boot.interval, t.config.heartbeatIntervalS);
    const pending = await t.charger('CP-PENDING');
    assert.equal(((await pending.call('BootNotification', bootPayload)) as any).status, 'Pending');
  });

  it('Heartbeat answers the current UTC time', async () => {
    const cp = await t.charger('CP-CORE');
    const before = Date.now();
    const answer = (await cp.call('Heartbeat', {})) as any;
    assert.match(answer.currentTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.ok(Math.abs(Date.parse(answer.currentTime) - before) < 5000);
  });

  it('StatusNotification updates the connector the API shows, with the charger\'s time', async () => {
    const cp = await t.charger('CP-CORE');
    await cp.call('StatusNotification', { connectorId: 2, status: 'Faulted', errorCode: 'GroundFailure', timestamp: '2026-04-01T10:00:00Z' });
    const body = (await (await t.api('/api/v1/charge-points/CP-CORE')).json()) as any;
    const connector = body.connectors.find((c: any) => c.connectorId === 2);
    assert.equal(connector.status, 'Faulted');
    assert.equal(connector.errorCode, 'GroundFailure');
    assert.equal(connector.updatedAt, '2026-04-01T10:00:00.000Z');
  });

  it('Authorize answers from the whitelist: Accepted with expiry and parent, Blocked, Expired, Invalid (CONFORMANCE 36, 37)', async () => {
    const cp = await t.charger('CP-CORE');
    assert.deepEqual(await cp.call('Authorize', { idTag: 'GOOD' }), {
      idTagInfo: { status: 'Accepted', expiryDate: '2099-01-01T00:00:00.000Z', parentIdTag: 'FLEET' },
    });
    assert.equal(((await cp.call('Authorize', { idTag: 'BLOCKED' })) as any).idTagInfo.status, 'Blocked');
    assert.equal(((await cp.call('Authorize', { idTag: 'OLD' })) as any).idTagInfo.status, 'Expired');
    assert.equal(((await cp.call('Authorize', { idTag: 'NOBODY' })) as any).idTagInfo.status, 'Invalid');
  });

  it('OCPP 1.6 §3.9 / CONFORMANCE 38: idTags compare case-insensitively', async () => {
    const cp = await t.charger('CP-CORE');
    assert.equal(((await cp.call('Authorize', { idTag: 'good' })) as any).idTagInfo.status, 'Accepted');
  });

  it('a whitelist change through the API is seen by the next Authorize', async () => {
    const cp = await t.charger('CP-CORE');
    await t.api('/api/v1/id-tags/LATER', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Accepted' }) });
    assert.equal(((await cp.call('Authorize', { idTag: 'LATER' })) as any).idTagInfo.status, 'Accepted');
    await t.api('/api/v1/id-tags/LATER', { method: 'DELETE' });
    assert.equal(((await cp.call('Authorize', { idTag: 'LATER' })) as any).idTagInfo.status, 'Invalid');
  });

  it('DataTransfer with a vendor we do not implement answers UnknownVendorId; diagnostics and firmware status are acknowledged', async () => {
    const cp = await t.charger('CP-CORE');
    assert.deepEqual(await cp.call('DataTransfer', { vendorId: 'com.example', messageId: 'x', data: '1' }), { status: 'UnknownVendorId' });
    assert.deepEqual(await cp.call('DiagnosticsStatusNotification', { status: 'Uploaded' }), {});
    assert.deepEqual(await cp.call('FirmwareStatusNotification', { status: 'Installed' }), {});
  });
});

describe('registration policy for unknown chargers', () => {
  it('pending: an unknown charger connects and is answered Pending; accept: it is registered Accepted', async () => {
    const t = await startTestServer({ unknownChargers: 'pending' });
    try {
      const cp = await t.charger('CP-NEW');
      assert.equal(((await cp.call('BootNotification', bootPayload)) as any).status, 'Pending');
      const listed = (await (await t.api('/api/v1/charge-points/CP-NEW')).json()) as any;
      assert.equal(listed.registrationStatus, 'Pending');
      await t.restart({ unknownChargers: 'accept' });
      const cp2 = await t.charger('CP-OTHER');
      assert.equal(((await cp2.call('BootNotification', bootPayload)) as any).status, 'Accepted');
    } finally {
      await t.close();
    }
  });
});
