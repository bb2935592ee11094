// Security profile 1: a charger registered with a password connects only with HTTP Basic auth, and a refused
// attempt for a connected identity never touches the live session.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectRpc } from '../../src/ocpp/rpc/client.js';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';

const PASSWORD = 'correct-horse-battery-1';

describe('OCPP 1.6 security profile 1 (Basic auth)', () => {
  let t: TestServer;
  const put = (id: string, body: unknown) =>
    t.api(`/api/v1/charge-points/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const connect = (id: string, password?: string) =>
    connectRpc({
      url: `${t.wsUrl}/${id}`,
      identity: id,
      protocols: ['ocpp1.6'],
      handlers: {},
      ...(password !== undefined ? { basicAuth: { username: id, password } } : {}),
    });
  /** The HTTP status a handshake was refused with, read from the error the client raises. */
  const refusal = async (attempt: Promise<unknown>) => {
    const error = await attempt.then(
      () => assert.fail('the handshake was accepted'),
      (e: Error) => e,
    );
    return Number(/\b(\d{3})\b/.exec(error.message)?.[1]);
  };

  before(async () => {
    t = await startTestServer({ unknownChargers: 'reject' });
  });
  after(() => t.close());

  it('a charger with a password connects with it, and is refused 401 without it or with a wrong one', async () => {
    assert.equal((await put('CP-SEC-1', { password: PASSWORD })).status, 200);
    assert.equal(await refusal(connect('CP-SEC-1')), 401);
    assert.equal(await refusal(connect('CP-SEC-1', 'wrong-password-123456')), 401);
    const cp = await connect('CP-SEC-1', PASSWORD);
    assert.equal(((await cp.call('BootNotification', bootPayload)) as any).status, 'Accepted');
    cp.terminate();
  });

  it('CONFORMANCE 72: a wrong-password attempt for a connected identity is refused and the live session is untouched', async () => {
    await put('CP-SEC-2', { password: PASSWORD });
    const live = await connect('CP-SEC-2', PASSWORD);
    const held = t.server.rpc.get('CP-SEC-2');
    assert.equal(await refusal(connect('CP-SEC-2', 'an-attacker-guess-0000')), 401);
    assert.equal(await refusal(connect('CP-SEC-2')), 401);
    assert.equal(t.server.rpc.get('CP-SEC-2'), held, 'the server still holds the original connection');
    assert.ok(((await live.call('Heartbeat', {})) as any).currentTime);
    live.terminate();
  });

  it('the password is never returned, is validated (16–40 characters), and null removes it', async () => {
    const short = await put('CP-SEC-3', { password: 'short' });
    assert.equal(short.status, 400);
    assert.match(((await short.json()) as any).error.message, /password/);
    const saved = (await (await put('CP-SEC-3', { password: PASSWORD })).json()) as Record<string, unknown>;
    const fetched = (await (await t.api('/api/v1/charge-points/CP-SEC-3')).json()) as Record<string, unknown>;
    for (const body of [saved, fetched]) {
      assert.ok(!('password' in body) && !('passwordHash' in body));
      assert.ok(!JSON.stringify(body).includes('sha256'));
    }
    assert.equal(await refusal(connect('CP-SEC-3')), 401);
    await put('CP-SEC-3', { password: null });
    const open = await connect('CP-SEC-3');
    assert.ok(((await open.call('Heartbeat', {})) as any).currentTime);
    open.terminate();
  });

  it('a password survives a restart (it is stored, as a hash)', async () => {
    await put('CP-SEC-4', { password: PASSWORD });
    await t.restart();
    assert.equal(await refusal(connect('CP-SEC-4')), 401);
    const cp = await connect('CP-SEC-4', PASSWORD);
    cp.terminate();
  });

  it('an unknown identity under the reject policy is refused with 404', async () => {
    assert.equal(await refusal(connect('CP-NOBODY')), 404);
  });
});
