// Connectivity (issue 4 point 4, PRODUCT.md charge_point.offline): a charger not heard from for longer than
// VOLTGATE_OFFLINE_AFTER_S, or one that stops answering pings, is reported offline once; every connect and
// disconnect is kept per charger with its close code and reason.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import { startTestServer, bootPayload, type TestServer } from '../support/server.js';
import { startWebhookReceiver, waitFor } from '../support/webhook-receiver.js';

async function subscribeAll(t: TestServer, url: string) {
  const r = await t.api('/api/v1/webhooks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url, events: ['*'], secret: 'connectivity-secret' }) });
  assert.equal(r.status, 201);
}

describe('connectivity', () => {
  it('PRODUCT.md: a charger silent for longer than VOLTGATE_OFFLINE_AFTER_S gets one charge_point.offline, and another only after it was heard from again', async () => {
    const receiver = await startWebhookReceiver();
    const t = await startTestServer({ offlineAfterS: 1, webhookRetryBaseMs: 20 });
    try {
      await subscribeAll(t, receiver.url);
      const cp = await t.charger('CP-SILENT');
      await cp.call('BootNotification', bootPayload);
      const offline = () => receiver.deliveries.filter((d) => d.json.event === 'charge_point.offline' && d.json.data.chargePointId === 'CP-SILENT');
      await waitFor(() => offline().length === 1, 5000, 'charge_point.offline');
      const first = offline()[0].json.data;
      assert.equal(first.connected, true, 'still connected, but silent');
      assert.ok(first.lastSeenAt);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(offline().length, 1, 'once per silence, not once per check');
      // Heard from again, then silent again: a new silence, a new event.
      await cp.call('Heartbeat', {});
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(offline().length, 1);
      await waitFor(() => offline().length === 2, 5000, 'a second charge_point.offline');
    } finally {
      await t.close();
      await receiver.close();
    }
  });

  it('a charger that stops answering pings is disconnected (1006), its disconnect kept, and it goes offline once', async () => {
    const receiver = await startWebhookReceiver();
    const t = await startTestServer({ offlineAfterS: 1, pingIntervalMs: 200, webhookRetryBaseMs: 20 });
    try {
      await subscribeAll(t, receiver.url);
      // A charger whose WebSocket stack answers no pings.
      const socket = new WebSocket(`${t.wsUrl}/CP-NOPONG`, ['ocpp1.6'], { autoPong: false });
      await once(socket, 'open');
      const closed = once(socket, 'close');
      const events = (name: string) => receiver.deliveries.filter((d) => d.json.event === name && d.json.data.chargePointId === 'CP-NOPONG');
      await waitFor(() => events('charge_point.disconnected').length === 1, 5000, 'charge_point.disconnected');
      await closed;
      assert.equal(events('charge_point.disconnected')[0].json.data.code, 1006, 'terminated: no close frame');
      await waitFor(() => events('charge_point.offline').length === 1, 5000, 'charge_point.offline');
      assert.equal(events('charge_point.offline')[0].json.data.connected, false);
      await new Promise((r) => setTimeout(r, 1200));
      assert.equal(events('charge_point.offline').length, 1);
      const history = (await (await t.api('/api/v1/charge-points/CP-NOPONG/connections')).json()) as any;
      assert.deepEqual(history.items.map((x: any) => x.kind), ['disconnected', 'connected']);
      assert.equal(history.items[0].code, 1006);
    } finally {
      await t.close();
      await receiver.close();
    }
  });

  it('a disconnect is the charger\'s last-seen time, written with its history row (and a charger that came back keeps its boot\'s)', async () => {
    const t = await startTestServer();
    try {
      const cp = await t.charger('CP-LASTSEEN');
      await cp.call('BootNotification', bootPayload);
      // Long enough for the disconnect to be later than anything the boot wrote.
      await new Promise((r) => setTimeout(r, 50));
      await cp.close(1000, 'done');
      const history = async () => ((await (await t.api('/api/v1/charge-points/CP-LASTSEEN/connections')).json()) as any).items;
      const [disconnect] = await waitFor(async () => ((await history()).length === 2 ? await history() : null), 5000, 'the disconnect recorded');
      const charger = (await (await t.api('/api/v1/charge-points/CP-LASTSEEN')).json()) as any;
      assert.equal(disconnect.kind, 'disconnected');
      assert.equal(charger.lastSeenAt, disconnect.at);
    } finally {
      await t.close();
    }
  });

  it('GET /charge-points/{id}/connections: every connect and disconnect with close code and reason, newest first, paged', async () => {
    const t = await startTestServer();
    try {
      const first = await t.charger('CP-HIST');
      await first.call('BootNotification', bootPayload);
      await first.close(1000, 'maintenance');
      const list = async (query = '') => (await (await t.api(`/api/v1/charge-points/CP-HIST/connections${query}`)).json()) as any;
      // The server may see the close a moment after the client does: reconnect once it has recorded it.
      await waitFor(async () => ((await list()).items.length === 2 ? true : null), 5000, 'the disconnect recorded');
      const second = await t.charger('CP-HIST');
      await second.call('Heartbeat', {});
      const all = await waitFor(async () => {
        const page = await list();
        return page.items.length === 3 ? page : null;
      }, 5000, 'three history rows');
      assert.deepEqual(all.items.map((x: any) => x.kind), ['connected', 'disconnected', 'connected']);
      assert.equal(all.items[1].code, 1000);
      assert.equal(all.items[1].reason, 'maintenance');
      assert.equal(all.items[0].protocol, 'ocpp1.6');
      assert.ok(all.items[0].at >= all.items[1].at);
      const page1 = await list('?limit=2');
      assert.equal(page1.items.length, 2);
      const page2 = await list(`?limit=2&cursor=${page1.nextCursor}`);
      assert.deepEqual(page2.items.map((x: any) => x.id), [all.items[2].id]);
      assert.equal(page2.nextCursor, null);
      assert.deepEqual((await list('?limit=5')).items.length, 3);
      assert.deepEqual(((await (await t.api('/api/v1/charge-points/CP-NOBODY/connections')).json()) as any).items, []);
    } finally {
      await t.close();
    }
  });
});
