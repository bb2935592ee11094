// Certificates for chargers (issue 12 point 4; CONFORMANCE 32), over real TLS on real ports. A charger's
// SignCertificate with a request made by openssl is checked, signed by the operator's CA (the one
// `voltgate certificates init-ca` makes, or one at a URL), sent back with CertificateSigned, and lets the charger in at
// profile 3; a malformed request, a weak key, or a subject that does not name the charger and the operator is
// Rejected. Certificates close to their end are announced; InstallCertificate, GetInstalledCertificateIds and
// DeleteCertificate go through the command route.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { connectRpc } from '../../src/ocpp/rpc/client.js';
import { startTestServer, bootPayload, type TestServer } from '../support/server.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/certificates.js';
import { waitFor } from '../support/webhook-receiver.js';

const ORGANIZATION = 'Voltgate Tests';
const boot201 = { reason: 'PowerUp', chargingStation: { vendorName: 'Voltgate', model: 'Station-201' } };
const run = promisify(execFile);

describe('certificates for chargers', () => {
  let pki: TestPki;
  let serverCert: IssuedCertificate;
  let work: string;
  before(() => {
    pki = createTestPki('Voltgate Certificates Test CA');
    serverCert = pki.server('server', 'ecdsa');
    work = mkdtempSync(join(tmpdir(), 'voltgate-test-certificates-'));
  });
  after(() => {
    pki.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  /** A key and a certificate request made by openssl, as a charger would. */
  const request = (name: string, subject: string, key: string[] = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']) => {
    execFileSync('openssl', ['req', '-new', ...key, '-nodes', '-keyout', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], { cwd: work, stdio: 'ignore' });
    return { csr: readFileSync(join(work, `${name}.csr`), 'utf8'), key: readFileSync(join(work, `${name}.key`), 'utf8') };
  };
  const api = async (t: TestServer, path: string, method = 'GET', body?: object) => {
    const response = await t.api(`/api/v1/charge-points/${path}`, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
    return { status: response.status, body: (await response.json()) as any };
  };
  const eventTypes = async (t: TestServer, id: string) => ((await api(t, `${id}/security-events`)).body.items as Array<{ type: string; techInfo: string }>);

  it('CONFORMANCE 32 (1.6): init-ca, then a request naming the charger and the operator is signed, installed, and lets the charger in at profile 3; bad ones are Rejected', async () => {
    const dataDir = join(work, 'data-local');
    const cli = await run(process.execPath, ['--import', 'tsx', 'src/cli/voltgate.ts', 'certificates', 'init-ca', '--organization', ORGANIZATION, '--data-dir', dataDir], { cwd: resolve('.') });
    assert.match(cli.stdout, /VOLTGATE_CERTIFICATE_SIGNER=local/);
    const caFile = join(dataDir, 'ca', 'ca-cert.pem');
    const t = await startTestServer({
      tlsCert: serverCert.certFile, tlsKey: serverCert.keyFile, tlsPort: 0, tlsCa: caFile,
      certificateSigner: 'local', chargerCertOrganization: ORGANIZATION, chargerCertDays: 90, dataDir,
    });
    try {
      const id = 'CP-CERT';
      const password = 'cert-password-0123456789';
      await api(t, id, 'PUT', { password, securityProfile: 2 });
      const chains: string[] = [];
      const charger = await connectRpc({
        url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], tls: { ca: pki.ca }, basicAuth: { username: id, password },
        handlers: { CertificateSigned: (req: { certificateChain: string }) => { chains.push(req.certificateChain); return { status: 'Accepted' }; } },
      });
      await charger.call('BootNotification', bootPayload);

      const good = request('cp-cert', `/CN=${id}/O=${ORGANIZATION}`);
      assert.deepEqual(await charger.call('SignCertificate', { csr: good.csr }), { status: 'Accepted' });
      const chain = await waitFor(async () => chains[0] ?? null, 10_000, 'CertificateSigned');
      const [leafPem] = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!;
      const leaf = new X509Certificate(leafPem);
      const ca = new X509Certificate(readFileSync(caFile));
      assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), 'signed by the CA init-ca made');
      assert.match(leaf.subject, new RegExp(`CN=${id}`));
      assert.ok(leaf.checkPrivateKey(await import('node:crypto').then((c) => c.createPrivateKey(good.key))), "for the charger's own key");
      assert.ok(Math.abs(new Date(leaf.validTo).getTime() - Date.now() - 90 * 86_400_000) < 86_400_000, 'valid VOLTGATE_CHARGER_CERT_DAYS');

      const listed = (await api(t, `${id}/certificates`)).body.items;
      assert.equal(listed.length, 1);
      assert.equal(listed[0].source, 'signed');
      assert.equal(listed[0].serialNumber, leaf.serialNumber);

      for (const [name, csr, why] of [
        ['garbage', '-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgcmVxdWVzdA==\n-----END CERTIFICATE REQUEST-----\n', /PKCS#10/],
        ['wrong-o', request('wrong-o', `/CN=${id}/O=Someone Else`).csr, /O is "Someone Else"/],
        ['wrong-cn', request('wrong-cn', `/CN=CP-OTHER/O=${ORGANIZATION}`).csr, /CN is "CP-OTHER"/],
        ['weak-rsa', request('weak-rsa', `/CN=${id}/O=${ORGANIZATION}`, ['-newkey', 'rsa:1024']).csr, /1024 bits/],
      ] as const) {
        assert.deepEqual(await charger.call('SignCertificate', { csr }), { status: 'Rejected' }, name);
        const events = await eventTypes(t, id);
        assert.equal(events[0].type, 'CertificateSigningRequestRejected', name);
        assert.match(events[0].techInfo, why, name);
      }
      assert.equal(chains.length, 1, 'nothing signed for a rejected request');
      charger.terminate();

      // Profile 3 with the certificate Voltgate had signed: nothing else needed.
      await api(t, id, 'PUT', { securityProfile: 3 });
      const atThree = await connectRpc({ url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, tls: { ca: pki.ca, cert: chain, key: good.key } });
      assert.equal(((await atThree.call('BootNotification', bootPayload)) as { status: string }).status, 'Accepted');
      atThree.terminate();
    } finally {
      await t.close();
    }
  });

  describe('an external CA at a URL (2.0.1)', () => {
    let ca: Server;
    let caUrl: string;
    let caAnswers = true;
    before(async () => {
      // The operator's CA: signs what it is POSTed with openssl, valid 10 days (inside the 30-day warning).
      ca = createHttpServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
          if (!caAnswers) return void res.writeHead(503).end('CA down for maintenance');
          const csrFile = join(work, `external-${Date.now()}.csr`);
          writeFileSync(csrFile, body);
          const signed = execFileSync('openssl', ['x509', '-req', '-in', csrFile, '-CA', pki.caFile, '-CAkey', join(pki.dir, 'ca.key'), '-set_serial', '4242', '-days', '10'], { stdio: ['ignore', 'pipe', 'ignore'] });
          res.writeHead(200, { 'content-type': 'application/pem-certificate-chain' }).end(`${signed.toString()}${pki.ca}`);
        });
      });
      await new Promise<void>((r) => ca.listen(0, '127.0.0.1', r));
      caUrl = `http://127.0.0.1:${(ca.address() as { port: number }).port}/sign`;
    });
    after(() => ca.close());

    it('the CA signs, CertificateSigned carries the chain with certificateType, and a certificate ending within the warning is announced; a CA that fails is an alert after Accepted', async () => {
      const t = await startTestServer({
        tlsCert: serverCert.certFile, tlsKey: serverCert.keyFile, tlsPort: 0, tlsCa: pki.caFile,
        certificateSigner: caUrl, chargerCertOrganization: ORGANIZATION, certExpiryWarningDays: 30,
      });
      try {
        const id = 'ST-CERT';
        const password = 'cert-password-0123456789';
        await api(t, id, 'PUT', { password, securityProfile: 2 });
        const signed: Array<{ certificateChain: string; certificateType?: string }> = [];
        const station = await connectRpc({
          url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp2.0.1'], tls: { ca: pki.ca }, basicAuth: { username: id, password },
          handlers: { CertificateSigned: (req: { certificateChain: string; certificateType?: string }) => { signed.push(req); return { status: 'Accepted' }; } },
        });
        await station.call('BootNotification', boot201);
        const { csr, key } = request('st-cert', `/CN=${id}/O=${ORGANIZATION}`);
        assert.deepEqual(await station.call('SignCertificate', { csr, certificateType: 'ChargingStationCertificate' }), { status: 'Accepted' });
        const got = await waitFor(async () => signed[0] ?? null, 10_000, 'CertificateSigned');
        assert.equal(got.certificateType, 'ChargingStationCertificate');
        const expiring = await waitFor(async () => (await eventTypes(t, id)).find((e) => e.type === 'ChargerCertificateExpiring') ?? null, 10_000, 'the expiry announced');
        assert.match(expiring.techInfo, /ends 20\d\d-/);
        assert.notEqual((await api(t, `${id}/certificates`)).body.items[0].expiryWarnedAt, null);

        assert.deepEqual(await station.call('SignCertificate', { csr, certificateType: 'V2GCertificate' }), { status: 'Rejected' }, 'no V2G PKI');
        caAnswers = false;
        assert.deepEqual(await station.call('SignCertificate', { csr, certificateType: 'ChargingStationCertificate' }), { status: 'Accepted' });
        const failed = await waitFor(async () => (await eventTypes(t, id)).find((e) => e.type === 'CertificateSigningFailed') ?? null, 10_000, 'the alert');
        assert.match(failed.techInfo, /503/);
        caAnswers = true;
        station.terminate();

        await api(t, id, 'PUT', { securityProfile: 3 });
        const atThree = await connectRpc({ url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp2.0.1'], handlers: {}, tls: { ca: pki.ca, cert: got.certificateChain, key } });
        atThree.terminate();
        // A certificate the charger got elsewhere is kept when it presents it, once, and its expiry watched too.
        const elsewhere = pki.client('st-elsewhere', { cn: id, o: ORGANIZATION }, { days: 20 });
        for (let i = 0; i < 2; i++) {
          (await connectRpc({ url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp2.0.1'], handlers: {}, tls: { ca: pki.ca, cert: elsewhere.cert, key: elsewhere.key } })).terminate();
        }
        const serial = new X509Certificate(elsewhere.cert).serialNumber;
        const presented = await waitFor(async () => {
          const items = (await api(t, `${id}/certificates`)).body.items as Array<{ source: string; serialNumber: string; expiryWarnedAt: string | null }>;
          return items.filter((c) => c.source === 'presented').length > 0 ? items : null;
        }, 5000, 'the presented certificate kept');
        assert.deepEqual(presented.map((c) => [c.source, c.serialNumber]), [['presented', serial], ['signed', new X509Certificate(got.certificateChain.split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----').serialNumber]]);
        await waitFor(async () => ((await eventTypes(t, id)).filter((e) => e.type === 'ChargerCertificateExpiring').length === 2 ? true : null), 10_000, 'its expiry announced too');
      } finally {
        await t.close();
      }
    });
  });

  it('a signer without the organisation to check, or a local CA that is not there, stops start-up naming the setting', async () => {
    await assert.rejects(startTestServer({ certificateSigner: 'local', chargerCertOrganization: null }), /VOLTGATE_CHARGER_CERT_ORGANIZATION/);
    await assert.rejects(startTestServer({ certificateSigner: 'local', chargerCertOrganization: ORGANIZATION, dataDir: join(work, 'no-ca') }), /VOLTGATE_CERTIFICATE_SIGNER=local: cannot read .*ca-cert\.pem.*init-ca/);
  });

  it('InstallCertificate, GetInstalledCertificateIds and DeleteCertificate through the command route, to a 1.6 charger and a 2.0.1 station', async () => {
    const t = await startTestServer();
    try {
      const hash = { hashAlgorithm: 'SHA256', issuerNameHash: 'a'.repeat(64), issuerKeyHash: 'b'.repeat(64), serialNumber: '4242' };
      for (const { id, protocol, boot, typeOfList, installType } of [
        { id: 'CP-CERTS-16', protocol: 'ocpp1.6', boot: bootPayload, typeOfList: { certificateType: 'CentralSystemRootCertificate' }, installType: 'CentralSystemRootCertificate' },
        { id: 'ST-CERTS-201', protocol: 'ocpp2.0.1', boot: boot201, typeOfList: { certificateType: ['CSMSRootCertificate'] }, installType: 'CSMSRootCertificate' },
      ]) {
        const received: string[] = [];
        const charger = await connectRpc({
          url: `${t.wsUrl}/${id}`, identity: id, protocols: [protocol],
          handlers: {
            InstallCertificate: () => { received.push('InstallCertificate'); return { status: 'Accepted' }; },
            GetInstalledCertificateIds: () => {
              received.push('GetInstalledCertificateIds');
              return protocol === 'ocpp1.6'
                ? { status: 'Accepted', certificateHashData: [hash] }
                : { status: 'Accepted', certificateHashDataChain: [{ certificateType: 'CSMSRootCertificate', certificateHashData: hash }] };
            },
            DeleteCertificate: () => { received.push('DeleteCertificate'); return { status: 'Accepted' }; },
          },
        });
        await charger.call('BootNotification', boot);
        const send = (action: string, payload: object) => api(t, `${id}/ocpp/${action}`, 'POST', payload);
        assert.equal((await send('InstallCertificate', { certificateType: installType, certificate: pki.ca })).body.status, 'Accepted', protocol);
        const ids = await send('GetInstalledCertificateIds', typeOfList);
        assert.equal(ids.status, 200, protocol);
        assert.match(JSON.stringify(ids.body), /4242/);
        assert.equal((await send('DeleteCertificate', { certificateHashData: hash })).body.status, 'Accepted', protocol);
        assert.deepEqual(received, ['InstallCertificate', 'GetInstalledCertificateIds', 'DeleteCertificate']);
        const history = (await api(t, `${id}/commands`)).body.items.map((c: { action: string }) => c.action);
        assert.deepEqual(history, ['DeleteCertificate', 'GetInstalledCertificateIds', 'InstallCertificate']);
        charger.terminate();
      }
    } finally {
      await t.close();
    }
  });
});
