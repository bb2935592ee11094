// Moving chargers between passwords and security profiles (issue 12 point 3), over real TLS on real ports, with a
// simulated charger that applies what it is sent and reconnects with it. CONFORMANCE 26: a new password (1.6
// AuthorizationKey, 2.0.1 BasicAuthPassword) replaces the old one once the charger accepts it; refused, the old one
// stays; no answer, both stay until the charger uses one. CONFORMANCE 31: a higher profile is enforced from the
// charger's first connection at it, the old one accepted until then.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectRpc } from '../../src/ocpp/rpc/client.js';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';
import { startTestServer, bootPayload, type TestServer } from '../support/server.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/certificates.js';
import { waitFor } from '../support/webhook-receiver.js';

const boot201 = { reason: 'PowerUp', chargingStation: { vendorName: 'Voltgate', model: 'Station-201' } };

describe('credential changes: passwords and security profiles', () => {
  let pki: TestPki;
  let serverCert: IssuedCertificate;
  before(() => {
    pki = createTestPki('Voltgate Credentials CA');
    serverCert = pki.server('server', 'ecdsa');
  });
  after(() => pki.cleanup());

  const start = (overrides = {}) => startTestServer({ tlsCert: serverCert.certFile, tlsKey: serverCert.keyFile, tlsCa: pki.caFile, tlsPort: 0, ...overrides });
  const api = async (t: TestServer, path: string, method = 'GET', body?: object) => {
    const response = await t.api(`/api/v1/charge-points/${path}`, {
      method,
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  /** Resolves with the HTTP status of a refused handshake, or 101 after closing an accepted one. */
  const handshakeStatus = async (options: Parameters<typeof connectRpc>[0]) => {
    try {
      const connection = await connectRpc(options);
      connection.terminate();
      return 101;
    } catch (error) {
      return (error as { status?: number }).status ?? -1;
    }
  };

  it('CONFORMANCE 26 (1.6 over wss://): an AuthorizationKey the charger accepts replaces the old password, as text or as the bytes it spells; the key is in no answer or history', async () => {
    const t = await start();
    try {
      const id = 'CP-ROTATE';
      const oldPassword = 'old-password-0123456789';
      assert.equal((await api(t, id, 'PUT', { password: oldPassword, securityProfile: 2 })).status, 200);
      let applied: string | null = null;
      const charger = await connectRpc({
        url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], tls: { ca: pki.ca }, basicAuth: { username: id, password: oldPassword },
        handlers: { ChangeConfiguration: (req: { key: string; value: string }) => { applied = req.key === 'AuthorizationKey' ? req.value : applied; return { status: 'Accepted' }; } },
      });
      await charger.call('BootNotification', bootPayload);
      const rotated = await api(t, `${id}/password`, 'POST', {});
      assert.deepEqual(rotated.body, { status: 'Accepted', adopted: true, pending: false });
      assert.match(applied!, /^[0-9a-f]{40}$/, 'a generated key: 20 bytes in hex');
      charger.terminate();

      const over = (password: string) => handshakeStatus({ url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, tls: { ca: pki.ca }, basicAuth: { username: id, password } });
      assert.equal(await over(oldPassword), 401, 'the old password no longer');
      assert.equal(await over(applied!), 101, 'the new key as text');
      assert.equal(await over(Buffer.from(applied!, 'hex').toString('latin1')), 401, 'latin1 text is not the bytes');
      // The key's bytes as they are: the header is built by hand, since a string password would be sent as UTF-8.
      const bytes = Buffer.concat([Buffer.from(`${id}:`), Buffer.from(applied!, 'hex')]).toString('base64');
      assert.equal(await handshakeStatus({ url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, tls: { ca: pki.ca }, headers: { authorization: `Basic ${bytes}` } }), 101, 'the bytes the key spells');

      const history = JSON.stringify((await api(t, `${id}/commands`)).body);
      assert.match(history, /AuthorizationKey/);
      assert.ok(!history.includes(applied!), 'the key is not in the command history');
      const record = (await api(t, id)).body;
      assert.equal(record.passwordChangePending, false);
      assert.ok(!JSON.stringify(record).includes(applied!));
    } finally {
      await t.close();
    }
  });

  it('CONFORMANCE 26: refused (Rejected, NotSupported), the old password stays and the new one is not let in; a second change while one awaits its answer is 409', async () => {
    const t = await start({ callTimeoutMs: 1500 });
    try {
      const id = 'CP-REFUSES';
      const oldPassword = 'old-password-0123456789';
      await api(t, id, 'PUT', { password: oldPassword });
      let answer: () => Promise<unknown> = async () => ({ status: 'Rejected' });
      const charger = await connectRpc({
        url: `${t.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], basicAuth: { username: id, password: oldPassword },
        handlers: { ChangeConfiguration: () => answer() },
      });
      await charger.call('BootNotification', bootPayload);
      const newPassword = 'ab'.repeat(16);
      assert.deepEqual((await api(t, `${id}/password`, 'POST', { password: newPassword })).body, { status: 'Rejected', adopted: false, pending: false });
      answer = async () => ({ status: 'NotSupported' });
      assert.equal((await api(t, `${id}/password`, 'POST', { password: newPassword })).body.status, 'NotSupported');
      charger.terminate();
      const over = (password: string) => handshakeStatus({ url: `${t.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, basicAuth: { username: id, password } });
      assert.equal(await over(newPassword), 401);
      assert.equal(await over(oldPassword), 101);

      const bad = await api(t, `${id}/password`, 'POST', { password: 'not-hex-at-all-but-long-enough' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /password/);

      const back = await connectRpc({ url: `${t.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], basicAuth: { username: id, password: oldPassword }, handlers: { ChangeConfiguration: () => new Promise(() => {}) } });
      const first = api(t, `${id}/password`, 'POST', { password: newPassword });
      await new Promise((r) => setTimeout(r, 200));
      const second = await api(t, `${id}/password`, 'POST', {});
      assert.equal(second.status, 409);
      assert.equal(second.body.error.code, 'credential_change_in_progress');
      await first;
      back.terminate();
    } finally {
      await t.close();
    }
  });

  it('CONFORMANCE 26: no answer, both passwords stay valid until the charger connects with the new one; then only it', async () => {
    const t = await start({ callTimeoutMs: 1000 });
    try {
      const id = 'CP-SILENT';
      const oldPassword = 'old-password-0123456789';
      await api(t, id, 'PUT', { password: oldPassword });
      const charger = await connectRpc({
        url: `${t.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], basicAuth: { username: id, password: oldPassword },
        handlers: { ChangeConfiguration: () => new Promise(() => {}) },
      });
      await charger.call('BootNotification', bootPayload);
      const newPassword = 'cd'.repeat(20);
      assert.deepEqual((await api(t, `${id}/password`, 'POST', { password: newPassword })).body, { status: 'NoAnswer', adopted: false, pending: true });
      assert.equal((await api(t, id)).body.passwordChangePending, true);
      charger.terminate();
      const over = (password: string) => handshakeStatus({ url: `${t.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, basicAuth: { username: id, password } });
      assert.equal(await over(oldPassword), 101, 'the old one, while unsettled');
      assert.equal(await over(newPassword), 101, 'the new one settles it');
      assert.equal(await over(oldPassword), 401);
      await waitFor(async () => ((await api(t, id)).body.passwordChangePending === false ? true : null), 5000, 'the settled change stored');
    } finally {
      await t.close();
    }
  });

  it('a first password: the charger may still come without one until it uses the new one, then only with it', async () => {
    const t = await start({ callTimeoutMs: 1000 });
    try {
      const id = 'CP-FIRST';
      await api(t, id, 'PUT', {});
      const charger = await connectRpc({ url: `${t.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: { ChangeConfiguration: () => new Promise(() => {}) } });
      await charger.call('BootNotification', bootPayload);
      const newPassword = '0a'.repeat(20);
      assert.equal((await api(t, `${id}/password`, 'POST', { password: newPassword })).body.status, 'NoAnswer');
      charger.terminate();
      const without = () => handshakeStatus({ url: `${t.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {} });
      assert.equal(await without(), 101);
      assert.equal(await handshakeStatus({ url: `${t.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, basicAuth: { username: id, password: newPassword } }), 101);
      assert.equal(await without(), 401);
    } finally {
      await t.close();
    }
  });

  it('CONFORMANCE 26 (2.0.1 over wss://): SetVariables BasicAuthPassword, Accepted, and the old password is refused', async () => {
    const t = await start();
    try {
      const id = 'ST-ROTATE';
      const oldPassword = 'old-password-0123456789';
      await api(t, id, 'PUT', { password: oldPassword, securityProfile: 2 });
      let set: unknown = null;
      const station = await connectRpc({
        url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp2.0.1'], tls: { ca: pki.ca }, basicAuth: { username: id, password: oldPassword },
        handlers: {
          SetVariables: (req: { setVariableData: Array<{ component: { name: string }; variable: { name: string }; attributeValue: string }> }) => {
            set = req.setVariableData[0];
            return { setVariableResult: req.setVariableData.map((d) => ({ component: d.component, variable: d.variable, attributeStatus: 'Accepted' })) };
          },
        },
      });
      await station.call('BootNotification', boot201);
      const newPassword = 'EF'.repeat(18);
      assert.deepEqual((await api(t, `${id}/password`, 'POST', { password: newPassword })).body, { status: 'Accepted', adopted: true, pending: false });
      assert.deepEqual(set, { component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, attributeValue: newPassword.toLowerCase() });
      station.terminate();
      const over = (password: string) => handshakeStatus({ url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp2.0.1'], handlers: {}, tls: { ca: pki.ca }, basicAuth: { username: id, password } });
      assert.equal(await over(oldPassword), 401);
      assert.equal(await over(newPassword.toLowerCase()), 101);
    } finally {
      await t.close();
    }
  });

  it('CONFORMANCE 31 (1.6, profile 1 to 2): ChangeConfiguration SecurityProfile and Reset; ws:// still accepted until the first wss:// connection, refused after', async () => {
    const t = await start();
    try {
      const id = 'CP-RAISE';
      const password = 'raise-password-0123456789';
      await api(t, id, 'PUT', { password, securityProfile: 1 });
      const received: string[] = [];
      const charger = await connectRpc({
        url: `${t.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], basicAuth: { username: id, password },
        handlers: {
          ChangeConfiguration: (req: { key: string; value: string }) => { received.push(`${req.key}=${req.value}`); return { status: 'Accepted' }; },
          Reset: (req: { type: string }) => { received.push(`Reset ${req.type}`); return { status: 'Accepted' }; },
        },
      });
      await charger.call('BootNotification', bootPayload);
      const lower = await api(t, `${id}/security-profile`, 'POST', { securityProfile: 2, restart: true });
      assert.deepEqual(lower.body, { status: 'Accepted', accepted: true, restart: { status: 'Accepted', accepted: true }, pendingSecurityProfile: 2 });
      assert.deepEqual(received, ['SecurityProfile=2', 'Reset Soft']);
      charger.terminate();

      const plain = () => handshakeStatus({ url: `${t.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, basicAuth: { username: id, password } });
      const secure = () => handshakeStatus({ url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, tls: { ca: pki.ca }, basicAuth: { username: id, password } });
      assert.equal(await plain(), 101, 'the old profile until the first connection at the new one');
      assert.equal((await api(t, id)).body.pendingSecurityProfile, 2);
      assert.equal(await secure(), 101);
      assert.equal(await plain(), 403, 'held to profile 2 from then on');
      await waitFor(async () => {
        const record = (await api(t, id)).body;
        return record.securityProfile === 2 && record.pendingSecurityProfile === null ? true : null;
      }, 5000, 'profile 2 stored');

      const back = await connectRpc({ url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, tls: { ca: pki.ca }, basicAuth: { username: id, password } });
      const again = await api(t, `${id}/security-profile`, 'POST', { securityProfile: 2 });
      back.terminate();
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'security_profile_not_higher');
    } finally {
      await t.close();
    }
  });

  it('CONFORMANCE 31 (2.0.1, profile 2 to 3): SetNetworkProfile in a free slot, that slot first, Reset OnIdle; then only the client certificate lets it in', async () => {
    const t = await start();
    try {
      const id = 'ST-RAISE';
      const password = 'raise-password-0123456789';
      await api(t, id, 'PUT', { password, securityProfile: 2 });
      const received: unknown[] = [];
      const station = await connectRpc({
        url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp2.0.1'], tls: { ca: pki.ca }, basicAuth: { username: id, password },
        handlers: {
          GetVariables: (req: { getVariableData: Array<{ component: object; variable: object }> }) => ({
            getVariableResult: req.getVariableData.map((d) => ({ ...d, attributeStatus: 'Accepted', attributeValue: '0' })),
          }),
          SetNetworkProfile: (req: unknown) => { received.push(req); return { status: 'Accepted' }; },
          SetVariables: (req: { setVariableData: Array<{ component: object; variable: { name: string }; attributeValue: string }> }) => {
            received.push(`${req.setVariableData[0].variable.name}=${req.setVariableData[0].attributeValue}`);
            return { setVariableResult: req.setVariableData.map((d) => ({ component: d.component, variable: d.variable, attributeStatus: 'Accepted' })) };
          },
          Reset: (req: { type: string }) => { received.push(`Reset ${req.type}`); return { status: 'Scheduled' }; },
        },
      });
      await station.call('BootNotification', boot201);
      const missingUrl = await api(t, `${id}/security-profile`, 'POST', { securityProfile: 3 });
      assert.equal(missingUrl.status, 400);
      assert.match(missingUrl.body.error.message, /csmsUrl/);
      const csmsUrl = `${t.tls!.wssUrl}/`;
      const raised = await api(t, `${id}/security-profile`, 'POST', { securityProfile: 3, csmsUrl });
      assert.deepEqual(raised.body, { status: 'Accepted', accepted: true, restart: { status: 'Scheduled', accepted: true }, pendingSecurityProfile: 3 });
      assert.deepEqual(received, [
        { configurationSlot: 1, connectionData: { ocppVersion: 'OCPP20', ocppTransport: 'JSON', ocppCsmsUrl: csmsUrl, messageTimeout: 30, securityProfile: 3, ocppInterface: 'Wired0' } },
        'NetworkConfigurationPriority=1,0',
        'Reset OnIdle',
      ]);
      station.terminate();

      const withPassword = () => handshakeStatus({ url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp2.0.1'], handlers: {}, tls: { ca: pki.ca }, basicAuth: { username: id, password } });
      const certificate = pki.client('st-raise', { cn: id, o: 'Voltgate Tests' });
      const withCertificate = () => handshakeStatus({ url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp2.0.1'], handlers: {}, tls: { ca: pki.ca, cert: certificate.cert, key: certificate.key } });
      assert.equal(await withPassword(), 101, 'profile 2 until the first connection at 3');
      assert.equal(await withCertificate(), 101);
      assert.equal(await withPassword(), 403, 'held to profile 3 from then on');
      assert.equal(await withCertificate(), 101);
    } finally {
      await t.close();
    }
  });

  it('a profile the charger refuses stays as it was; without TLS, or without client certificate checks, no higher profile is asked for (409)', async () => {
    const t = await start({ tlsCa: null });
    const plain = await startTestServer();
    try {
      const id = 'CP-NO-RAISE';
      await api(t, id, 'PUT', {});
      const charger: RpcConnection = await connectRpc({ url: `${t.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: { ChangeConfiguration: () => ({ status: 'Rejected' }) } });
      await charger.call('BootNotification', bootPayload);
      assert.deepEqual((await api(t, `${id}/security-profile`, 'POST', { securityProfile: 2 })).body, { status: 'Rejected', accepted: false, restart: null, pendingSecurityProfile: null });
      const record = (await api(t, id)).body;
      assert.equal(record.securityProfile, 0);
      assert.equal(record.pendingSecurityProfile, null);
      const three = await api(t, `${id}/security-profile`, 'POST', { securityProfile: 3 });
      assert.equal(three.status, 409);
      assert.equal(three.body.error.code, 'client_certificates_not_checked');
      charger.terminate();

      await api(plain, id, 'PUT', {});
      const noTls = await api(plain, `${id}/security-profile`, 'POST', { securityProfile: 2 });
      assert.equal(noTls.status, 409);
      assert.equal(noTls.body.error.code, 'tls_not_served');
    } finally {
      await t.close();
      await plain.close();
    }
  });
});
