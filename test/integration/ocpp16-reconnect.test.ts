// Reconnects: the newest connection of a charger wins, commands follow it, and a dead one fails fast.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';
import { openRawCharger } from '../support/raw-charger.js';

describe('OCPP 1.6 reconnects', () => {
  let t: TestServer;
  const connected = async (id: string) => ((await (await t.api(`/api/v1/charge-points/${id}`)).json()) as any).connected;
  before(async () => {
    t = await startTestServer({ callTimeoutMs: 5000 });
  });
  after(() => t.close());

  it('ocpp-go#314 / CONFORMANCE 71: a new socket for a connected identity replaces the half-open one; the old close never removes the new', async () => {
    const first = await openRawCharger(`${t.wsUrl}/CP-RE-1`);
    for (let i = 0; i < 50; i++) {
      const next = await openRawCharger(`${t.wsUrl}/CP-RE-1`);
      const old = i === 0 ? first : undefined;
      void old;
      next.send([2, `b${i}`, 'Heartbeat', {}]);
      assert.equal((await next.next())[0], 3);
    }
    await first.closed;
    assert.equal(await connected('CP-RE-1'), true);
    const cp = await t.charger('CP-RE-1', { handlers: { GetConfiguration: async () => ({ configurationKey: [], unknownKey: [] }) } });
    const answer = await t.server.rpc.get('CP-RE-1')!.call('GetConfiguration', {});
    assert.deepEqual(answer, { configurationKey: [], unknownKey: [] });
    cp.terminate();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await connected('CP-RE-1'), false);
  });

  it('OCPP-J 1.6 §5.4 / CONFORMANCE 73: a charger that reconnects without a BootNotification is online and takes commands', async () => {
    const cp = await t.charger('CP-RE-2', { handlers: { GetConfiguration: async () => ({ configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }] }) } });
    await cp.call('BootNotification', bootPayload);
    cp.terminate();
    const again = await t.charger('CP-RE-2', { handlers: { GetConfiguration: async () => ({ configurationKey: [] }) } });
    assert.equal(await connected('CP-RE-2'), true);
    assert.deepEqual(await t.server.rpc.get('CP-RE-2')!.call('GetConfiguration', {}), { configurationKey: [] });
    again.terminate();
  });

  it('CONFORMANCE 74: when the socket drops, a pending call to the charger fails at once, not after the timeout', async () => {
    const raw = await openRawCharger(`${t.wsUrl}/CP-RE-3`);
    const pending = t.server.rpc.get('CP-RE-3')!.call('GetConfiguration', {});
    const request = await raw.next();
    assert.equal(request[2], 'GetConfiguration');
    const started = Date.now();
    raw.close();
    await assert.rejects(pending);
    assert.ok(Date.now() - started < 2000, 'failed long before the 5 s call timeout');
  });

  it('CONFORMANCE 75: after a restart, 300 chargers reconnecting at once are all accepted and booted', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `CP-STORM-${i}`);
    await t.restart();
    const answers = await Promise.all(
      ids.map(async (id) => {
        const cp = await t.charger(id);
        return (await cp.call('BootNotification', bootPayload)) as any;
      }),
    );
    assert.ok(answers.every((a) => a.status === 'Accepted' && a.interval === t.config.heartbeatIntervalS));
    assert.equal(t.server.rpc.connections().length ?? [...t.server.rpc.connections()].length, 300);
  });
});
