// TLS (security profiles 2 and 3, PRODUCT.md "Charger side"): wss:// and https:// on VOLTGATE_TLS_PORT with real
// certificates made for the run, real TLS clients on real ports. CONFORMANCE 28: TLS 1.0 and 1.1 refused, TLS 1.2
// with each suite the OCPP security specifications require (RSA and ECDSA certificates) and TLS 1.3 accepted;
// no renegotiation; a renewed certificate served without a restart. CONFORMANCE 23, 24: profile 2's password checked
// before the upgrade over wss:// too. CONFORMANCE 27, 29, 30: a charger's security profile enforced at the handshake,
// and never lowered by accident; at profile 3 a revoked certificate (VOLTGATE_TLS_CRL) is refused like an expired one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { request } from 'node:https';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { X509Certificate, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { connectRpc } from '../../src/ocpp/rpc/client.js';
import { startTestServer, bootPayload, TEST_API_KEY, type TestServer } from '../support/server.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/certificates.js';
import { waitFor } from '../support/webhook-receiver.js';

/** A TLS handshake with the server: the socket once secure, or the error that ended it. */
function handshake(port: number, options: ConnectionOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...options }, () => resolve(socket));
    socket.once('error', reject);
  });
}

function tlsPortOf(t: TestServer): number {
  return t.tls!.port;
}

/** GET over https with the test CA. */
function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: { authorization: `Bearer ${TEST_API_KEY}` } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A bare WebSocket upgrade over https: the status it got, and whether the connection was upgraded. */
function upgradeOverTls(url: string, ca: string, protocol: string, authorization?: string): Promise<{ status: number; upgraded: boolean }> {
  return new Promise((resolve, reject) => {
    const headers = {
      connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'),
      'sec-websocket-protocol': protocol, ...(authorization ? { authorization } : {}),
    };
    const req = request(url.replace(/^wss:/, 'https:'), { ca, headers });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, upgraded: true });
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, upgraded: false });
    });
    req.on('error', reject);
    req.end();
  });
}

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

describe('TLS (security profile 2)', () => {
  let pki: TestPki;
  let rsa: IssuedCertificate;
  let ecdsa: IssuedCertificate;
  before(() => {
    pki = createTestPki();
    rsa = pki.server('server-rsa', 'rsa');
    ecdsa = pki.server('server-ecdsa', 'ecdsa');
  });
  after(() => pki.cleanup());

  for (const { kind, suites } of [
    { kind: 'rsa', suites: ['AES128-GCM-SHA256', 'AES256-GCM-SHA384'] },
    { kind: 'ecdsa', suites: ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384'] },
  ] as const) {
    it(`CONFORMANCE 28 (${kind.toUpperCase()} certificate): TLS 1.0 and 1.1 refused; TLS 1.2 with each required suite, and TLS 1.3, accepted`, async () => {
      const certificate = kind === 'rsa' ? rsa : ecdsa;
      const t = await startTestServer({ tlsCert: certificate.certFile, tlsKey: certificate.keyFile, tlsPort: 0 });
      try {
        const port = tlsPortOf(t);
        for (const version of ['TLSv1', 'TLSv1.1'] as const) {
          // The client is let down to any version and suite, so that only the server can be the one refusing.
          await assert.rejects(handshake(port, { ca: pki.ca, minVersion: 'TLSv1', maxVersion: version, ciphers: 'ALL:@SECLEVEL=0' }), `${version} refused`);
        }
        for (const suite of suites) {
          const socket = await handshake(port, { ca: pki.ca, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: suite });
          assert.equal(socket.getProtocol(), 'TLSv1.2');
          assert.equal(socket.getCipher().name, suite);
          assert.ok(socket.authorized, 'the server certificate verifies against the CA');
          socket.destroy();
        }
        const modern = await handshake(port, { ca: pki.ca, minVersion: 'TLSv1.3' });
        assert.equal(modern.getProtocol(), 'TLSv1.3');
        modern.destroy();
        // A suite outside the list (CBC, no AEAD) is refused.
        await assert.rejects(handshake(port, { ca: pki.ca, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA:AES128-SHA' }));
      } finally {
        await t.close();
      }
    });
  }

  it('a charger boots over wss:// and the API answers over https://; with VOLTGATE_TLS_ONLY nothing is served in the clear', async () => {
    const t = await startTestServer({ tlsCert: rsa.certFile, tlsKey: rsa.keyFile, tlsPort: 0, tlsOnly: true });
    try {
      const urls = t.tls!;
      assert.equal(t.wsUrl, urls.wssUrl, 'the primary URLs are the TLS ones');
      const charger = await connectRpc({ url: `${urls.wssUrl}/CP-TLS`, identity: 'CP-TLS', protocols: ['ocpp1.6'], handlers: {}, tls: { ca: pki.ca } });
      try {
        const answer = (await charger.call('BootNotification', bootPayload)) as { status: string };
        assert.equal(answer.status, 'Accepted');
      } finally {
        charger.terminate();
      }
      const listed = await httpsGet(`${urls.httpsUrl}/api/v1/charge-points/CP-TLS`, pki.ca);
      assert.equal(listed.status, 200);
      assert.equal(JSON.parse(listed.body).vendor, 'Voltgate');
      assert.equal(t.server.app.server.listening, false, 'no plain port is open');
    } finally {
      await t.close();
    }
  });

  it('a renegotiation asked by the client never completes', async () => {
    const t = await startTestServer({ tlsCert: rsa.certFile, tlsKey: rsa.keyFile, tlsPort: 0 });
    try {
      const socket = await handshake(tlsPortOf(t), { ca: pki.ca, maxVersion: 'TLSv1.2' });
      socket.on('error', () => {});
      const outcome = await new Promise<Error | null>((resolve) => {
        const asked = socket.renegotiate({}, (error) => resolve(error));
        if (!asked) resolve(new Error('not even sent'));
        // A server that answered nothing at all would leave the callback waiting: that is a refusal too, but say so.
        setTimeout(() => resolve(new Error('no answer in 5 s')), 5000).unref();
      });
      // The server answers with a no_renegotiation alert, which the client's stack takes as a warning and waits on.
      assert.ok(outcome instanceof Error, 'the renegotiation never completed');
      socket.destroy();
    } finally {
      await t.close();
    }
  });

  it('a renewed certificate is served without a restart; a broken one is refused and the one in use stays', async () => {
    const renewed = pki.server('server-renewed', 'rsa');
    const live = { certFile: `${pki.dir}/live.pem`, keyFile: `${pki.dir}/live.key` };
    copyFileSync(rsa.certFile, live.certFile);
    copyFileSync(rsa.keyFile, live.keyFile);
    const t = await startTestServer({ tlsCert: live.certFile, tlsKey: live.keyFile, tlsPort: 0 });
    try {
      const port = tlsPortOf(t);
      const servedSerial = async () => {
        const socket = await handshake(port, { ca: pki.ca });
        const serial = new X509Certificate(socket.getPeerX509Certificate()!.raw).serialNumber;
        socket.destroy();
        return serial;
      };
      const first = await servedSerial();
      assert.equal(first, new X509Certificate(rsa.cert).serialNumber);
      // A key that does not fit the certificate: nothing changes.
      copyFileSync(ecdsa.keyFile, live.keyFile);
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal(await servedSerial(), first);
      copyFileSync(renewed.certFile, live.certFile);
      copyFileSync(renewed.keyFile, live.keyFile);
      const expected = new X509Certificate(renewed.cert).serialNumber;
      await waitFor(async () => ((await servedSerial()) === expected ? true : null), 10_000, 'the renewed certificate served');
    } finally {
      await t.close();
    }
  });

  it('a certificate file that cannot be read, or a key that does not fit it, stops start-up naming the setting', async () => {
    await assert.rejects(startTestServer({ tlsCert: `${pki.dir}/missing.pem`, tlsKey: rsa.keyFile, tlsPort: 0 }), /VOLTGATE_TLS_CERT: cannot read/);
    await assert.rejects(startTestServer({ tlsCert: rsa.certFile, tlsKey: ecdsa.keyFile, tlsPort: 0 }), /VOLTGATE_TLS_CERT and VOLTGATE_TLS_KEY do not make a usable certificate/);
  });

  const put = (t: TestServer, id: string, body: object) =>
    t.api(`/api/v1/charge-points/${encodeURIComponent(id)}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const securityEventTypes = async (t: TestServer, id: string) =>
    ((await (await t.api(`/api/v1/charge-points/${id}/security-events`)).json()) as { items: Array<{ type: string }> }).items.map((e) => e.type);
  const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: { status?: number }) => error.status ?? -1);

  it('CONFORMANCE 27: a charger at profile 2 is refused over ws:// and accepted over wss:// with its password; the API lowers a profile only when told to', async () => {
    const t = await startTestServer({ tlsCert: rsa.certFile, tlsKey: rsa.keyFile, tlsPort: 0 });
    try {
      const password = 'profile-two-password';
      assert.equal((await put(t, 'CP-SP2', { password, securityProfile: 2 })).status, 200);
      const basicAuth = { username: 'CP-SP2', password };
      const over = (url: string) => connectRpc({ url: `${url}/CP-SP2`, identity: 'CP-SP2', protocols: ['ocpp1.6'], handlers: {}, basicAuth, tls: { ca: pki.ca } });
      assert.equal(await refusal(over(t.wsUrl)), 403, 'plain ws:// refused even with the right password');
      await waitFor(async () => (await securityEventTypes(t, 'CP-SP2')).includes('RefusedWithoutTls'), 5000, 'the refusal kept as a security event');
      assert.equal(await refusal(connectRpc({ url: `${t.tls!.wssUrl}/CP-SP2`, identity: 'CP-SP2', protocols: ['ocpp1.6'], handlers: {}, tls: { ca: pki.ca } })), 401, 'TLS without the password');
      const charger = await over(t.tls!.wssUrl);
      assert.equal(((await charger.call('BootNotification', bootPayload)) as { status: string }).status, 'Accepted');
      charger.terminate();
      const lowered = await put(t, 'CP-SP2', { securityProfile: 1 });
      assert.equal(lowered.status, 409);
      const { error } = (await lowered.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'security_profile_downgrade');
      assert.match(error.message, /allowDowngrade/);
      assert.equal(((await (await t.api('/api/v1/charge-points/CP-SP2')).json()) as { securityProfile: number }).securityProfile, 2, 'unchanged');
      assert.equal((await put(t, 'CP-SP2', { securityProfile: 1, allowDowngrade: true })).status, 200);
      const plain = await over(t.wsUrl);
      plain.terminate();
    } finally {
      await t.close();
    }
  });

  it('CONFORMANCE 23, 24 over wss:// at profile 2 (OCPP 1.6 and 2.0.1): no, a wrong or another charger\'s credentials get 401 and no upgrade; its own get 101 and boot', async () => {
    const t = await startTestServer({ tlsCert: rsa.certFile, tlsKey: rsa.keyFile, tlsPort: 0 });
    try {
      const boot201 = { reason: 'PowerUp', chargingStation: { vendorName: 'Voltgate', model: 'Station-201' } };
      for (const { protocol, id, boot } of [
        { protocol: 'ocpp1.6', id: 'CP-SP2-16', boot: bootPayload },
        { protocol: 'ocpp2.0.1', id: 'CP-SP2-201', boot: boot201 },
      ]) {
        const [password, otherId, otherPassword] = [`${id}-password-0001`, `${id}-OTHER`, `${id}-other-password`];
        assert.equal((await put(t, id, { password, securityProfile: 2 })).status, 200);
        assert.equal((await put(t, otherId, { password: otherPassword, securityProfile: 2 })).status, 200);
        const url = `${t.tls!.wssUrl}/${id}`;
        const attempt = (authorization?: string) => upgradeOverTls(url, pki.ca, protocol, authorization);
        assert.deepEqual(await attempt(), { status: 401, upgraded: false }, `${protocol}: no Authorization`);
        assert.deepEqual(await attempt(basic(id, 'not-the-password-0000')), { status: 401, upgraded: false }, `${protocol}: a wrong password`);
        assert.deepEqual(await attempt(basic(otherId, otherPassword)), { status: 401, upgraded: false }, `${protocol}: another charger's username and password`);
        assert.deepEqual(await attempt(basic(id, otherPassword)), { status: 401, upgraded: false }, `${protocol}: another charger's password`);
        assert.deepEqual(await attempt(basic(id, password)), { status: 101, upgraded: true }, `${protocol}: its own`);
        const charger = await connectRpc({ url, identity: id, protocols: [protocol], handlers: {}, basicAuth: { username: id, password }, tls: { ca: pki.ca } });
        try {
          assert.equal(charger.protocol, protocol);
          assert.equal(((await charger.call('BootNotification', boot)) as { status: string }).status, 'Accepted', `${protocol}: boot`);
        } finally {
          charger.terminate();
        }
      }
    } finally {
      await t.close();
    }
  });

  it('CONFORMANCE 29, 30: at profile 3 only a client certificate of a trusted CA, valid, naming the charger is accepted; the others are refused before the upgrade', async () => {
    const stranger = createTestPki('Unknown CA');
    const t = await startTestServer({ tlsCert: rsa.certFile, tlsKey: rsa.keyFile, tlsCa: pki.caFile, tlsPort: 0 });
    try {
      assert.equal((await put(t, 'CP-SP3', { securityProfile: 3 })).status, 200);
      const own = pki.client('cp-sp3', { cn: 'CP-SP3', o: 'Voltgate Tests' });
      const cases = {
        'no certificate': {},
        'an unknown CA': stranger.client('cp-sp3-stranger', { cn: 'CP-SP3' }),
        expired: pki.client('cp-sp3-expired', { cn: 'CP-SP3' }, { days: 0 }),
        "another charger's": pki.client('cp-other', { cn: 'CP-OTHER' }),
      };
      const connectWith = (certificate: { cert?: string; key?: string }, url = t.tls!.wssUrl) =>
        connectRpc({ url: `${url}/CP-SP3`, identity: 'CP-SP3', protocols: ['ocpp1.6'], handlers: {}, tls: { ca: pki.ca, cert: certificate.cert, key: certificate.key } });
      for (const [name, certificate] of Object.entries(cases)) assert.equal(await refusal(connectWith(certificate)), 403, `${name}: refused`);
      await waitFor(async () => (await securityEventTypes(t, 'CP-SP3')).includes('InvalidClientCertificate'), 5000, 'the refusal kept as a security event');
      assert.equal(await refusal(connectWith(own, t.wsUrl)), 403, 'its own certificate cannot come without TLS');
      const charger = await connectWith(own);
      assert.equal(((await charger.call('BootNotification', bootPayload)) as { status: string }).status, 'Accepted');
      charger.terminate();
      // A profile 2 charger on the same port needs no certificate.
      assert.equal((await put(t, 'CP-SP2-BESIDE', { securityProfile: 2 })).status, 200);
      const beside = await connectRpc({ url: `${t.tls!.wssUrl}/CP-SP2-BESIDE`, identity: 'CP-SP2-BESIDE', protocols: ['ocpp1.6'], handlers: {}, tls: { ca: pki.ca } });
      beside.terminate();
    } finally {
      await t.close();
      stranger.cleanup();
    }
  });

  const profile3 = (t: TestServer, id: string, certificate: IssuedCertificate) =>
    connectRpc({ url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, tls: { ca: pki.ca, cert: certificate.cert, key: certificate.key } });
  const securityEvents = async (t: TestServer, id: string) =>
    ((await (await t.api(`/api/v1/charge-points/${id}/security-events`)).json()) as { items: Array<{ type: string; techInfo: string | null }> }).items;

  it('VOLTGATE_TLS_CRL: at profile 3 a revoked client certificate is refused before the upgrade and kept as a security event; one revoked while running is disconnected and refused without a restart', async () => {
    const revoked = pki.client('cp-crl-revoked', { cn: 'CP-CRL-1' });
    const kept = pki.client('cp-crl-kept', { cn: 'CP-CRL-2' });
    const untouched = pki.client('cp-crl-untouched', { cn: 'CP-CRL-3' });
    pki.revoke(revoked.certFile);
    const liveCrl = `${pki.dir}/live-crl.pem`;
    copyFileSync(pki.crl(), liveCrl);
    const t = await startTestServer({ tlsCert: rsa.certFile, tlsKey: rsa.keyFile, tlsCa: pki.caFile, tlsCrl: liveCrl, tlsPort: 0 });
    try {
      for (const id of ['CP-CRL-1', 'CP-CRL-2', 'CP-CRL-3']) assert.equal((await put(t, id, { securityProfile: 3 })).status, 200);
      assert.equal(await refusal(profile3(t, 'CP-CRL-1', revoked)), 403, 'the revoked certificate');
      await waitFor(async () => (await securityEvents(t, 'CP-CRL-1')).find((e) => e.type === 'InvalidClientCertificate' && /CERT_REVOKED/.test(e.techInfo ?? '')), 5000, 'the refusal kept as a security event');
      const charger = await profile3(t, 'CP-CRL-2', kept);
      assert.equal(((await charger.call('BootNotification', bootPayload)) as { status: string }).status, 'Accepted', 'a certificate not revoked');
      const bystander = await profile3(t, 'CP-CRL-3', untouched);
      await bystander.call('BootNotification', bootPayload);
      const closed = new Promise<{ code: number; reason: string }>((resolve) => charger.once('close', resolve));
      // The CA revokes the connected charger's certificate; the new CRL replaces the file while the server runs.
      pki.revoke(kept.certFile);
      copyFileSync(pki.crl(), liveCrl);
      const close = await Promise.race([closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000))]);
      assert.deepEqual(close, { code: 1008, reason: 'client certificate revoked' }, 'the connection of the revoked certificate is closed');
      await waitFor(async () => (await securityEvents(t, 'CP-CRL-2')).find((e) => e.type === 'InvalidClientCertificate' && /revoked \(CERT_REVOKED\) while connected/.test(e.techInfo ?? '')), 5000, 'the disconnection kept as a security event');
      assert.equal(((await bystander.call('Heartbeat', {})) as { currentTime?: string }).currentTime !== undefined, true, 'a charger whose certificate stands keeps its connection');
      bystander.terminate();
      await waitFor(async () => {
        await new Promise((r) => setTimeout(r, 250));
        const outcome = await refusal(profile3(t, 'CP-CRL-2', kept).then((connection) => connection.terminate()));
        return outcome === 403;
      }, 10_000, 'the renewed CRL taken up');
      await waitFor(async () => (await securityEvents(t, 'CP-CRL-2')).find((e) => /CERT_REVOKED/.test(e.techInfo ?? '')), 5000, 'that refusal kept as a security event');
    } finally {
      await t.close();
    }
  });

  it('VOLTGATE_TLS_CRL with the CRLs of two CAs in one file: each CA\'s own revocations count', async () => {
    const second = createTestPki('Second Test CA');
    const trusted = `${pki.dir}/two-cas.pem`;
    const crls = `${pki.dir}/two-crls.pem`;
    try {
      const revoked = second.client('cp-second-revoked', { cn: 'CP-CRL-SECOND-1' });
      const valid = second.client('cp-second-valid', { cn: 'CP-CRL-SECOND-2' });
      second.revoke(revoked.certFile);
      writeFileSync(trusted, pki.ca + second.ca);
      writeFileSync(crls, readFileSync(pki.crl(), 'utf8') + readFileSync(second.crl(), 'utf8'));
      const t = await startTestServer({ tlsCert: rsa.certFile, tlsKey: rsa.keyFile, tlsCa: trusted, tlsCrl: crls, tlsPort: 0 });
      try {
        for (const id of ['CP-CRL-SECOND-1', 'CP-CRL-SECOND-2']) assert.equal((await put(t, id, { securityProfile: 3 })).status, 200);
        assert.equal(await refusal(profile3(t, 'CP-CRL-SECOND-1', revoked)), 403, 'revoked by the second CA');
        // Had only the first CRL been read, the second CA would have none, and OpenSSL refuses its every certificate.
        const charger = await profile3(t, 'CP-CRL-SECOND-2', valid);
        charger.terminate();
      } finally {
        await t.close();
      }
    } finally {
      second.cleanup();
    }
  });

  it('a CRL file that cannot be read, holds no CRL or a broken one, stops start-up naming VOLTGATE_TLS_CRL', async () => {
    const files = { tlsCert: rsa.certFile, tlsKey: rsa.keyFile, tlsCa: pki.caFile, tlsPort: 0 };
    const broken = `${pki.dir}/broken-crl.pem`;
    writeFileSync(broken, readFileSync(pki.crl(), 'utf8').replace(/(-----BEGIN X509 CRL-----\n)[A-Za-z0-9+/]{8}/, '$1AAAAAAAA'));
    // A server that starts all the same is closed, so that the failure is this assertion's and not a hung run.
    const startupError = (tlsCrl: string) => startTestServer({ ...files, tlsCrl }).then(async (t) => void (await t.close()), (error: Error) => error.message);
    assert.match((await startupError(`${pki.dir}/missing-crl.pem`)) ?? 'started', /VOLTGATE_TLS_CRL: cannot read/);
    assert.match((await startupError(pki.caFile)) ?? 'started', /VOLTGATE_TLS_CRL: no CRL in/);
    assert.match((await startupError(broken)) ?? 'started', /VOLTGATE_TLS_CRL: CRL 1 of .* cannot be parsed/);
  });

  it('voltgate simulate --tls with --ca, --cert and --key: a profile 3 charger runs a session', async () => {
    const t = await startTestServer({ tlsCert: rsa.certFile, tlsKey: rsa.keyFile, tlsCa: pki.caFile, tlsPort: 0 });
    try {
      assert.equal((await put(t, 'SIMTLS-1', { securityProfile: 3 })).status, 200);
      const tag = await t.api('/api/v1/id-tags/SIMTLS-TAG', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Accepted' }) });
      assert.ok(tag.ok);
      const own = pki.client('simtls-1', { cn: 'SIMTLS-1' });
      const args = ['simulate', '--tls', '--url', t.tls!.wssUrl, '--ca', pki.caFile, '--cert', own.certFile, '--key', own.keyFile,
        '--prefix', 'SIMTLS-', '--sessions', '1', '--meter-interval-ms', '0', '--id-tags', 'SIMTLS-TAG'];
      const exit = await new Promise<{ code: number; stderr: string }>((done) => {
        execFile(process.execPath, ['--import', 'tsx', 'src/cli/voltgate.ts', ...args], { cwd: resolve(import.meta.dirname, '../..') }, (error, _stdout, stderr) =>
          done({ code: error ? Number(error.code ?? 1) : 0, stderr }),
        );
      });
      assert.equal(exit.code, 0, exit.stderr);
      const sessions = (await (await t.api('/api/v1/transactions?chargePointId=SIMTLS-1')).json()) as { items: Array<{ stoppedAt: string | null }> };
      assert.equal(sessions.items.length, 1);
      assert.ok(sessions.items[0].stoppedAt);
    } finally {
      await t.close();
    }
  });

  it('behind a TLS-terminating proxy (VOLTGATE_TRUSTED_PROXIES): its forwarded client certificate is checked like a handshake, and believed from its address only', async () => {
    const t = await startTestServer({ trustedProxies: '127.0.0.1', tlsCa: pki.caFile });
    try {
      assert.equal((await put(t, 'CP-PROXIED', { securityProfile: 3 })).status, 200);
      const own = pki.client('cp-proxied', { cn: 'CP-PROXIED' });
      const other = pki.client('cp-proxied-other', { cn: 'CP-SOMEONE-ELSE' });
      const expired = pki.client('cp-proxied-expired', { cn: 'CP-PROXIED' }, { days: 0 });
      const through = (cert: string | null, localAddress?: string, proto = 'https') =>
        connectRpc({
          url: `${t.wsUrl}/CP-PROXIED`, identity: 'CP-PROXIED', protocols: ['ocpp1.6'], handlers: {},
          headers: { 'x-forwarded-proto': proto, ...(cert ? { 'x-ssl-client-cert': encodeURIComponent(cert) } : {}) },
          ...(localAddress ? { localAddress } : {}),
        });
      const charger = await through(own.cert);
      assert.equal(((await charger.call('BootNotification', bootPayload)) as { status: string }).status, 'Accepted');
      charger.terminate();
      assert.equal(await refusal(through(other.cert)), 403, "another charger's certificate");
      assert.equal(await refusal(through(expired.cert)), 403, 'an expired certificate');
      assert.equal(await refusal(through(null)), 403, 'no certificate');
      assert.equal(await refusal(through(own.cert, undefined, 'http')), 403, 'the proxy says the charger came in the clear');
      assert.equal(await refusal(through(own.cert, '127.0.0.2')), 403, 'the same headers from an address that is not a trusted proxy count for nothing');
    } finally {
      await t.close();
    }
  });

  it('behind a TLS-terminating proxy with VOLTGATE_TLS_CRL: a forwarded certificate the CRL revokes is refused, and a CRL renewed while running counts from the next handshake', async () => {
    const revoked = pki.client('cp-proxied-revoked', { cn: 'CP-PROXIED-CRL-1' });
    const valid = pki.client('cp-proxied-valid', { cn: 'CP-PROXIED-CRL-2' });
    pki.revoke(revoked.certFile);
    const liveCrl = `${pki.dir}/proxy-crl.pem`;
    copyFileSync(pki.crl(), liveCrl);
    const t = await startTestServer({ trustedProxies: '127.0.0.1', tlsCa: pki.caFile, tlsCrl: liveCrl });
    try {
      for (const id of ['CP-PROXIED-CRL-1', 'CP-PROXIED-CRL-2']) assert.equal((await put(t, id, { securityProfile: 3 })).status, 200);
      const through = (id: string, cert: string) =>
        connectRpc({ url: `${t.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, headers: { 'x-forwarded-proto': 'https', 'x-ssl-client-cert': encodeURIComponent(cert) } });
      assert.equal(await refusal(through('CP-PROXIED-CRL-1', revoked.cert)), 403, 'the revoked certificate');
      await waitFor(async () => (await securityEvents(t, 'CP-PROXIED-CRL-1')).find((e) => e.type === 'InvalidClientCertificate' && /CERT_REVOKED/.test(e.techInfo ?? '')), 5000, 'the refusal kept as a security event');
      const charger = await through('CP-PROXIED-CRL-2', valid.cert);
      assert.equal(((await charger.call('BootNotification', bootPayload)) as { status: string }).status, 'Accepted', 'a certificate not revoked');
      charger.terminate();
      pki.revoke(valid.certFile);
      // A new file, a new modification time even within the same millisecond tick of a coarse clock.
      await new Promise((r) => setTimeout(r, 20));
      copyFileSync(pki.crl(), liveCrl);
      assert.equal(await refusal(through('CP-PROXIED-CRL-2', valid.cert).then((connection) => connection.terminate())), 403, 'revoked by the renewed CRL');
    } finally {
      await t.close();
    }
  });
});
