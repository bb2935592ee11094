// Security events (issue 12 point 5, CONFORMANCE 33): a charger's SecurityEventNotification (1.6 security
// extension and 2.0.1) is answered, kept per charger, listed through REST and sent as charge_point.security_event;
// Voltgate's own refusals of a charger's handshake go to the same list, once a minute of each kind.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectRpc } from '../../src/ocpp/rpc/client.js';
import { createLogger } from '../../src/server/logger.js';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';
import { startWebhookReceiver, waitFor } from '../support/webhook-receiver.js';

const listOf = async (t: TestServer, id: string) => ((await (await t.api(`/api/v1/charge-points/${id}/security-events`)).json()) as { items: any[] }).items;

describe('security events', () => {
  it('CONFORMANCE 33: SecurityEventNotification from 1.6 and 2.0.1 is answered, kept, listed and sent as charge_point.security_event', async () => {
    const receiver = await startWebhookReceiver();
    const t = await startTestServer({ webhookRetryBaseMs: 20 });
    try {
      const hook = await t.api('/api/v1/webhooks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url, events: ['charge_point.security_event'], secret: 'security-events-secret' }),
      });
      assert.equal(hook.status, 201);
      const v16 = await t.charger('CP-SEC16');
      await v16.call('BootNotification', bootPayload);
      assert.deepEqual(await v16.call('SecurityEventNotification', { type: 'FirmwareUpdated', timestamp: '2026-12-01T10:00:00.000Z', techInfo: 'v2.1.0' }), {});
      const v201 = await t.charger('CP-SEC201', { protocols: ['ocpp2.0.1'] });
      await v201.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Voltgate', model: 'Sec-201' } });
      assert.deepEqual(await v201.call('SecurityEventNotification', { type: 'TamperDetectionActivated', timestamp: '2026-12-01T11:00:00.000Z' }), {});

      const [first] = await listOf(t, 'CP-SEC16');
      assert.deepEqual(
        { type: first.type, techInfo: first.techInfo, source: first.source, occurredAt: first.occurredAt },
        { type: 'FirmwareUpdated', techInfo: 'v2.1.0', source: 'charger', occurredAt: '2026-12-01T10:00:00.000Z' },
      );
      const [second] = await listOf(t, 'CP-SEC201');
      assert.equal(second.type, 'TamperDetectionActivated');
      assert.equal(second.techInfo, null);

      await waitFor(() => receiver.deliveries.length >= 2, 5000, 'two charge_point.security_event deliveries');
      const sent = receiver.deliveries.map((d) => d.json).sort((a, b) => a.data.chargePointId.localeCompare(b.data.chargePointId));
      assert.deepEqual(sent.map((e) => [e.event, e.data.chargePointId, e.data.type]), [
        ['charge_point.security_event', 'CP-SEC16', 'FirmwareUpdated'],
        ['charge_point.security_event', 'CP-SEC201', 'TamperDetectionActivated'],
      ]);
    } finally {
      await t.close();
      await receiver.close();
    }
  });

  it("a wrong password at the handshake is Voltgate's security event for that charger, once a minute however often it is tried", async () => {
    const t = await startTestServer();
    try {
      const put = await t.api('/api/v1/charge-points/CP-SECPW', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'the-right-password-42' }) });
      assert.equal(put.status, 200);
      for (let attempt = 0; attempt < 3; attempt++) {
        await assert.rejects(
          connectRpc({ url: `${t.wsUrl}/CP-SECPW`, identity: 'CP-SECPW', protocols: ['ocpp1.6'], handlers: {}, basicAuth: { username: 'CP-SECPW', password: 'a-wrong-password-000' } }),
          /401/,
        );
      }
      const events = await waitFor(async () => {
        const items = await listOf(t, 'CP-SECPW');
        return items.length > 0 ? items : null;
      }, 5000, 'the security event');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await listOf(t, 'CP-SECPW')).length, 1, 'one event for three attempts');
      assert.deepEqual({ type: events[0].type, source: events[0].source }, { type: 'InvalidPassword', source: 'voltgate' });
      assert.doesNotMatch(JSON.stringify(events), /a-wrong-password|the-right-password/, 'no password in the event');
    } finally {
      await t.close();
    }
  });

  it('CONFORMANCE 32 (in part): a 1.6 SignCertificate is answered Rejected: Voltgate signs no certificate with a key of its own making', async () => {
    const t = await startTestServer();
    try {
      const charger = await t.charger('CP-CSR');
      await charger.call('BootNotification', bootPayload);
      assert.deepEqual(await charger.call('SignCertificate', { csr: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----' }), { status: 'Rejected' });
    } finally {
      await t.close();
    }
  });

  it('CONFORMANCE 35: twenty wrong passwords in a minute from one address throttle that address (429), and only that one', async () => {
    const t = await startTestServer();
    try {
      const password = 'the-right-password-35';
      for (const id of ['CP-BRUTE', 'CP-NEIGHBOUR']) {
        assert.equal((await t.api(`/api/v1/charge-points/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) })).status, 200);
      }
      const attempt = (id: string, secret: string, localAddress?: string) =>
        connectRpc({ url: `${t.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, basicAuth: { username: id, password: secret }, ...(localAddress ? { localAddress } : {}) });
      for (let i = 0; i < 20; i++) await assert.rejects(attempt('CP-BRUTE', `wrong-password-${String(i).padStart(4, '0')}`), /401/);
      await assert.rejects(attempt('CP-BRUTE', password), /429/, 'even the right password waits out the minute');
      const neighbour = await attempt('CP-NEIGHBOUR', password, '127.0.0.2');
      assert.deepEqual(((await neighbour.call('BootNotification', bootPayload)) as { status: string }).status, 'Accepted', 'another address is not throttled');
      neighbour.terminate();
    } finally {
      await t.close();
    }
  });

  it('CONFORMANCE 25: a whole run at debug level logs no password, Authorization header or AuthorizationKey value', async () => {
    const lines: string[] = [];
    const logger = createLogger({ logLevel: 'debug', logFormat: 'json' }, { write: (line: string) => void lines.push(line) });
    const t = await startTestServer({}, { logger });
    const password = 'logged-nowhere-password-25';
    const authorizationKey = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
    const basic = Buffer.from(`CP-LOG:${password}`).toString('base64');
    try {
      await t.api('/api/v1/charge-points/CP-LOG', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) });
      await assert.rejects(connectRpc({ url: `${t.wsUrl}/CP-LOG`, identity: 'CP-LOG', protocols: ['ocpp1.6'], handlers: {}, basicAuth: { username: 'CP-LOG', password: `${password}-wrong` } }), /401/);
      const charger = await connectRpc({
        url: `${t.wsUrl}/CP-LOG`, identity: 'CP-LOG', protocols: ['ocpp1.6'], basicAuth: { username: 'CP-LOG', password },
        handlers: { ChangeConfiguration: async () => ({ status: 'Accepted' }) },
      });
      await charger.call('BootNotification', bootPayload);
      const sent = await t.api('/api/v1/charge-points/CP-LOG/ocpp/ChangeConfiguration', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'AuthorizationKey', value: authorizationKey }) });
      assert.equal(sent.status, 200);
      charger.terminate();
      await t.api('/api/v1/charge-points/CP-LOG/commands');
    } finally {
      await t.close();
    }
    const log = lines.join('');
    assert.ok(log.includes('message-out'), 'the frames were logged (debug)');
    for (const secret of [password, authorizationKey, basic]) assert.ok(!log.includes(secret), `the log holds ${secret.slice(0, 6)}…`);
  });
});
