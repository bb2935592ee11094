// Security events (issue 12 point 5), brute force and log redaction, over real TLS: each server has a certificate
// made for the run, chargers connect over wss:// and the integrator calls the API over https://, both trusting only
// the run's CA. CONFORMANCE 33: a charger's SecurityEventNotification (1.6 security extension and 2.0.1) is answered,
// kept per charger, listed through REST and sent as charge_point.security_event; Voltgate's own refusals of a
// charger's handshake go to the same list, once a minute of each kind. CONFORMANCE 35: twenty wrong passwords in a
// minute from one address throttle that address only. CONFORMANCE 32 (in part): no self-signed charger certificate.
// CONFORMANCE 25: a whole run at debug level over wss://, password rotations (1.6 AuthorizationKey, 2.0.1
// BasicAuthPassword) included, logs no password, Authorization header or AuthorizationKey value. The cases cheap to
// repeat in the clear run over ws:// / http:// as well.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, fetch as fetchWithAgent } from 'undici';
import { connectRpc, type ConnectRpcOptions } from '../../src/ocpp/rpc/client.js';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';
import type { Config } from '../../src/config/schema.js';
import { createLogger } from '../../src/server/logger.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/certificates.js';
import { bootPayload, startTestServer, TEST_API_KEY, type TestServer } from '../support/server.js';
import { startWebhookReceiver, waitFor } from '../support/webhook-receiver.js';

type Transport = 'wss' | 'ws';
/** TLS always; the clear transport too where the case is cheap to repeat. */
const TRANSPORTS: Transport[] = ['wss', 'ws'];
const boot201 = { reason: 'PowerUp', chargingStation: { vendorName: 'Voltgate', model: 'Sec-201' } };

describe('security events', () => {
  let pki: TestPki;
  let serverCert: IssuedCertificate;
  /** https:// with the run's CA as the only one trusted. */
  let agent: Agent;
  before(() => {
    pki = createTestPki('Voltgate Security Events CA');
    serverCert = pki.server('server', 'ecdsa');
    agent = new Agent({ connect: { ca: pki.ca } });
  });
  after(async () => {
    await agent.close();
    pki.cleanup();
  });

  const start = (overrides: Partial<Config> = {}, options: Parameters<typeof startTestServer>[1] = {}) =>
    startTestServer({ tlsCert: serverCert.certFile, tlsKey: serverCert.keyFile, tlsPort: 0, ...overrides }, options);

  /** The server as a charger and an integrator reach it over one transport. */
  const over = (t: TestServer, transport: Transport) => {
    const secure = transport === 'wss';
    if (secure) assert.ok(t.tls, 'the server serves TLS');
    const wsUrl = secure ? t.tls!.wssUrl : t.wsUrl;
    assert.match(wsUrl, secure ? /^wss:\/\// : /^ws:\/\//);
    return {
      /** The API with the operator key; a JSON body when one is given. */
      async api(path: string, method = 'GET', body?: object): Promise<{ status: number; json(): Promise<unknown> }> {
        const headers: Record<string, string> = { authorization: `Bearer ${TEST_API_KEY}` };
        if (body) headers['content-type'] = 'application/json';
        const init = { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) };
        if (!secure) return t.api(path, init);
        assert.match(t.tls!.httpsUrl, /^https:\/\//);
        return fetchWithAgent(`${t.tls!.httpsUrl}${path}`, { ...init, dispatcher: agent });
      },
      /** A charger's connection (OCPP 1.6 unless other protocols are given). */
      connect(id: string, options: Partial<ConnectRpcOptions> = {}): Promise<RpcConnection> {
        return connectRpc({
          url: `${wsUrl}/${encodeURIComponent(id)}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, callTimeoutMs: 5000,
          ...(secure ? { tls: { ca: pki.ca } } : {}),
          ...options,
        });
      },
    };
  };
  const listOf = async (at: ReturnType<typeof over>, id: string) =>
    ((await (await at.api(`/api/v1/charge-points/${id}/security-events`)).json()) as { items: any[] }).items;

  for (const transport of TRANSPORTS) {
    it(`CONFORMANCE 33 (${transport}://): SecurityEventNotification from 1.6 and 2.0.1 is answered, kept, listed and sent as charge_point.security_event`, async () => {
      const receiver = await startWebhookReceiver();
      const t = await start({ webhookRetryBaseMs: 20 });
      const at = over(t, transport);
      const sockets: RpcConnection[] = [];
      try {
        const hook = await at.api('/api/v1/webhooks', 'POST', { url: receiver.url, events: ['charge_point.security_event'], secret: 'security-events-secret' });
        assert.equal(hook.status, 201);
        const v16 = await at.connect('CP-SEC16');
        sockets.push(v16);
        await v16.call('BootNotification', bootPayload);
        assert.deepEqual(await v16.call('SecurityEventNotification', { type: 'FirmwareUpdated', timestamp: '2026-12-01T10:00:00.000Z', techInfo: 'v2.1.0' }), {});
        const v201 = await at.connect('CP-SEC201', { protocols: ['ocpp2.0.1'] });
        sockets.push(v201);
        await v201.call('BootNotification', boot201);
        assert.deepEqual(await v201.call('SecurityEventNotification', { type: 'TamperDetectionActivated', timestamp: '2026-12-01T11:00:00.000Z' }), {});

        const [first] = await listOf(at, 'CP-SEC16');
        assert.deepEqual(
          { type: first.type, techInfo: first.techInfo, source: first.source, occurredAt: first.occurredAt },
          { type: 'FirmwareUpdated', techInfo: 'v2.1.0', source: 'charger', occurredAt: '2026-12-01T10:00:00.000Z' },
        );
        const [second] = await listOf(at, 'CP-SEC201');
        assert.equal(second.type, 'TamperDetectionActivated');
        assert.equal(second.techInfo, null);

        await waitFor(() => receiver.deliveries.length >= 2, 5000, 'two charge_point.security_event deliveries');
        const sent = receiver.deliveries.map((d) => d.json).sort((a, b) => a.data.chargePointId.localeCompare(b.data.chargePointId));
        assert.deepEqual(sent.map((e) => [e.event, e.data.chargePointId, e.data.type]), [
          ['charge_point.security_event', 'CP-SEC16', 'FirmwareUpdated'],
          ['charge_point.security_event', 'CP-SEC201', 'TamperDetectionActivated'],
        ]);
      } finally {
        for (const socket of sockets) socket.terminate();
        await t.close();
        await receiver.close();
      }
    });

    it(`(${transport}://) a wrong password at the handshake is Voltgate's security event for that charger, once a minute however often it is tried`, async () => {
      const t = await start();
      const at = over(t, transport);
      try {
        const put = await at.api('/api/v1/charge-points/CP-SECPW', 'PUT', { password: 'the-right-password-42' });
        assert.equal(put.status, 200);
        for (let attempt = 0; attempt < 3; attempt++) {
          await assert.rejects(at.connect('CP-SECPW', { basicAuth: { username: 'CP-SECPW', password: 'a-wrong-password-000' } }), /401/);
        }
        const events = await waitFor(async () => {
          const items = await listOf(at, 'CP-SECPW');
          return items.length > 0 ? items : null;
        }, 5000, 'the security event');
        await new Promise((r) => setTimeout(r, 200));
        assert.equal((await listOf(at, 'CP-SECPW')).length, 1, 'one event for three attempts');
        assert.deepEqual({ type: events[0].type, source: events[0].source }, { type: 'InvalidPassword', source: 'voltgate' });
        assert.doesNotMatch(JSON.stringify(events), /a-wrong-password|the-right-password/, 'no password in the event');
      } finally {
        await t.close();
      }
    });

    it(`CONFORMANCE 32 (in part, ${transport}://): a 1.6 SignCertificate is answered Rejected: Voltgate signs no certificate with a key of its own making`, async () => {
      const t = await start();
      try {
        const charger = await over(t, transport).connect('CP-CSR');
        try {
          await charger.call('BootNotification', bootPayload);
          assert.deepEqual(await charger.call('SignCertificate', { csr: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----' }), { status: 'Rejected' });
        } finally {
          charger.terminate();
        }
      } finally {
        await t.close();
      }
    });

    it(`CONFORMANCE 35 (${transport}://): twenty wrong passwords in a minute from one address throttle that address (429), and only that one`, async () => {
      const t = await start();
      const at = over(t, transport);
      try {
        const password = 'the-right-password-35';
        for (const id of ['CP-BRUTE', 'CP-NEIGHBOUR']) {
          assert.equal((await at.api(`/api/v1/charge-points/${id}`, 'PUT', { password })).status, 200);
        }
        const attempt = (id: string, secret: string, localAddress?: string) =>
          at.connect(id, { basicAuth: { username: id, password: secret }, ...(localAddress ? { localAddress } : {}) });
        for (let i = 0; i < 20; i++) await assert.rejects(attempt('CP-BRUTE', `wrong-password-${String(i).padStart(4, '0')}`), /401/);
        await assert.rejects(attempt('CP-BRUTE', password), /429/, 'even the right password waits out the minute');
        const neighbour = await attempt('CP-NEIGHBOUR', password, '127.0.0.2');
        assert.deepEqual(((await neighbour.call('BootNotification', bootPayload)) as { status: string }).status, 'Accepted', 'another address is not throttled');
        neighbour.terminate();
        // The throttle is a security event of the charger whose attempt tripped it.
        const throttled = await waitFor(async () => (await listOf(at, 'CP-BRUTE')).find((e) => e.type === 'HandshakesThrottled') ?? null, 5000, 'HandshakesThrottled kept');
        assert.match(throttled.techInfo, /too many refused handshakes/);
        assert.equal(throttled.source, 'voltgate');
        assert.ok(!(await listOf(at, 'CP-NEIGHBOUR')).some((e) => e.type === 'HandshakesThrottled'));
      } finally {
        await t.close();
      }
    });
  }

  it('CONFORMANCE 25 (wss://, https://): a whole run at debug level, password rotations included, logs no password, Authorization header or AuthorizationKey value', async () => {
    const lines: string[] = [];
    const logger = createLogger({ logLevel: 'debug', logFormat: 'json' }, { write: (line: string) => void lines.push(line) });
    const t = await start({}, { logger });
    const at = over(t, 'wss');
    const password = 'logged-nowhere-password-25';
    const authorizationKey = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
    const rotated16 = 'a5e1f00d'.repeat(5);
    const password201 = 'logged-nowhere-password-201';
    const rotated201 = '7e57b00c'.repeat(5);
    const basicOf = (id: string, secret: string) => Buffer.from(`${id}:${secret}`).toString('base64');
    try {
      assert.equal((await at.api('/api/v1/charge-points/CP-LOG', 'PUT', { password })).status, 200);
      await assert.rejects(at.connect('CP-LOG', { basicAuth: { username: 'CP-LOG', password: `${password}-wrong` } }), /401/);
      const charger = await at.connect('CP-LOG', {
        basicAuth: { username: 'CP-LOG', password },
        handlers: { ChangeConfiguration: async () => ({ status: 'Accepted' }) },
      });
      await charger.call('BootNotification', bootPayload);
      const sent = await at.api('/api/v1/charge-points/CP-LOG/ocpp/ChangeConfiguration', 'POST', { key: 'AuthorizationKey', value: authorizationKey });
      assert.equal(sent.status, 200);
      // Rotation (1.6): ChangeConfiguration AuthorizationKey, Accepted; then the charger back with the new key.
      const rotation16 = await at.api('/api/v1/charge-points/CP-LOG/password', 'POST', { password: rotated16 });
      assert.equal(rotation16.status, 200);
      assert.deepEqual(await rotation16.json(), { status: 'Accepted', adopted: true, pending: false });
      charger.terminate();
      const back16 = await at.connect('CP-LOG', { basicAuth: { username: 'CP-LOG', password: rotated16 } });
      await back16.call('Heartbeat', {});
      back16.terminate();
      await at.api('/api/v1/charge-points/CP-LOG/commands');

      // Rotation (2.0.1): SetVariables SecurityCtrlr.BasicAuthPassword, Accepted; then the station back with it.
      assert.equal((await at.api('/api/v1/charge-points/ST-LOG', 'PUT', { password: password201 })).status, 200);
      const station = await at.connect('ST-LOG', {
        protocols: ['ocpp2.0.1'],
        basicAuth: { username: 'ST-LOG', password: password201 },
        handlers: {
          SetVariables: async (req: { setVariableData: Array<{ component: object; variable: object }> }) => ({
            setVariableResult: req.setVariableData.map((d) => ({ component: d.component, variable: d.variable, attributeStatus: 'Accepted' })),
          }),
        },
      });
      await station.call('BootNotification', boot201);
      const rotation201 = await at.api('/api/v1/charge-points/ST-LOG/password', 'POST', { password: rotated201 });
      assert.equal(rotation201.status, 200);
      assert.deepEqual(await rotation201.json(), { status: 'Accepted', adopted: true, pending: false });
      station.terminate();
      const back201 = await at.connect('ST-LOG', { protocols: ['ocpp2.0.1'], basicAuth: { username: 'ST-LOG', password: rotated201 } });
      await back201.call('Heartbeat', {});
      back201.terminate();
      await at.api('/api/v1/charge-points/ST-LOG/commands');
    } finally {
      await t.close();
    }
    const log = lines.join('');
    assert.ok(log.includes('message-out'), 'the frames were logged (debug)');
    assert.ok(log.includes('AuthorizationKey') && log.includes('BasicAuthPassword'), 'both rotations\' frames were logged');
    const secrets = [
      password, authorizationKey, rotated16, password201, rotated201,
      basicOf('CP-LOG', password), basicOf('CP-LOG', `${password}-wrong`), basicOf('CP-LOG', rotated16),
      basicOf('ST-LOG', password201), basicOf('ST-LOG', rotated201),
    ];
    for (const secret of secrets) assert.ok(!log.includes(secret), `the log holds ${secret.slice(0, 6)}…`);
  });
});
