// The OCPP 1.6 security extension's messages (issue 12 point 6), over wss:// on real ports: SignedUpdateFirmware,
// GetLog and ExtendedTriggerMessage sent through the command route and answered, and the charger's
// LogStatusNotification and SignedFirmwareStatusNotification answered and kept with its messages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectRpc } from '../../src/ocpp/rpc/client.js';
import { startTestServer, bootPayload } from '../support/server.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../support/certificates.js';
import { waitFor } from '../support/webhook-receiver.js';

describe('OCPP 1.6 security extension', () => {
  let pki: TestPki;
  let serverCert: IssuedCertificate;
  before(() => {
    pki = createTestPki('Voltgate Security Extension CA');
    serverCert = pki.server('server', 'rsa');
  });
  after(() => pki.cleanup());

  it('SignedUpdateFirmware, GetLog and ExtendedTriggerMessage through POST …/ocpp/{action}; the status reports they bring are kept', async () => {
    const t = await startTestServer({ tlsCert: serverCert.certFile, tlsKey: serverCert.keyFile, tlsPort: 0 });
    try {
      const id = 'CP-SECEXT';
      const password = 'security-extension-0123';
      await t.api(`/api/v1/charge-points/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password, securityProfile: 2 }) });
      const asked: Array<[string, unknown]> = [];
      const charger = await connectRpc({
        url: `${t.tls!.wssUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], tls: { ca: pki.ca }, basicAuth: { username: id, password },
        handlers: {
          SignedUpdateFirmware: (req: unknown) => { asked.push(['SignedUpdateFirmware', req]); return { status: 'Accepted' }; },
          GetLog: (req: unknown) => { asked.push(['GetLog', req]); return { status: 'Accepted', filename: 'security.log' }; },
          ExtendedTriggerMessage: (req: unknown) => { asked.push(['ExtendedTriggerMessage', req]); return { status: 'Accepted' }; },
        },
      });
      await charger.call('BootNotification', bootPayload);
      const send = async (action: string, payload: object) => {
        const response = await t.api(`/api/v1/charge-points/${id}/ocpp/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
        return { status: response.status, body: (await response.json()) as any };
      };

      const firmware = {
        requestId: 7,
        firmware: { location: 'https://firmware.example/cp-2.1.bin', retrieveDateTime: '2026-12-01T00:00:00.000Z', signingCertificate: pki.ca, signature: 'c2lnbmF0dXJl' },
      };
      assert.deepEqual((await send('SignedUpdateFirmware', firmware)).body, { status: 'Accepted' });
      assert.deepEqual((await send('GetLog', { logType: 'SecurityLog', requestId: 8, log: { remoteLocation: 'https://logs.example/upload' } })).body, { status: 'Accepted', filename: 'security.log' });
      assert.deepEqual((await send('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' })).body, { status: 'Accepted' });
      assert.deepEqual(asked.map(([action]) => action), ['SignedUpdateFirmware', 'GetLog', 'ExtendedTriggerMessage']);
      assert.deepEqual(asked[0][1], firmware);

      const invalid = await send('GetLog', { logType: 'NotALogType', requestId: 9, log: { remoteLocation: 'x' } });
      assert.equal(invalid.status, 400, 'checked against the official schema before anything is sent');
      assert.equal(asked.length, 3);

      assert.deepEqual(await charger.call('LogStatusNotification', { status: 'Uploaded', requestId: 8 }), {});
      assert.deepEqual(await charger.call('SignedFirmwareStatusNotification', { status: 'SignatureVerified', requestId: 7 }), {});
      // Asked for its certificate, the charger sends a request: without a signer it is Rejected, never self-signed.
      assert.deepEqual(await charger.call('SignCertificate', { csr: '-----BEGIN CERTIFICATE REQUEST-----\nMA==\n-----END CERTIFICATE REQUEST-----' }), { status: 'Rejected' });
      const kept = await waitFor(async () => {
        const items = ((await (await t.api(`/api/v1/charge-points/${id}/messages`)).json()) as { items: Array<{ action: string; payload: any }> }).items;
        return items.length >= 3 ? items : null;
      }, 5000, 'the reports kept');
      assert.deepEqual(kept.map((m) => m.action).sort(), ['LogStatusNotification', 'SignCertificate', 'SignedFirmwareStatusNotification']);
      assert.equal(kept.find((m) => m.action === 'LogStatusNotification')!.payload.status, 'Uploaded');
      charger.terminate();
    } finally {
      await t.close();
    }
  });
});
