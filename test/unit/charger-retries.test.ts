// A simulated charger with retriesTransactionMessages keeps a transaction message until it is acknowledged,
// resending it unchanged, as OCPP 1.6 §3.7.1 asks of a real one; other failures do not end its session loop.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { WebSocketServer } from 'ws';
import { SimulatedCharger } from '../../src/simulator/charger.js';
import { loadProfile } from '../../src/simulator/profile.js';

type Answer = (action: string, payload: any, attempt: number) => { result: unknown } | { error: string };

/** A CSMS that answers by the given rule and remembers every CALL it got. */
async function fakeCsms(answer: Answer) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'ocpp1.6' });
  await once(server, 'listening');
  const calls: Array<{ action: string; payload: any }> = [];
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const [, id, action, payload] = JSON.parse(String(data));
      calls.push({ action, payload });
      const outcome = answer(action, payload, calls.filter((c) => c.action === action).length);
      socket.send(JSON.stringify('error' in outcome ? [4, id, outcome.error, 'storage unavailable', {}] : [3, id, outcome.result]));
    });
  });
  const { port } = server.address() as { port: number };
  const close = () => {
    for (const client of server.clients) client.terminate(); // close() alone waits for every client to leave
    return new Promise((r) => server.close(r));
  };
  return { url: `ws://127.0.0.1:${port}/ocpp`, calls, close };
}

const profile = { ...loadProfile('generic'), connectors: 1, meterValuesPerSession: 2 };
let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function charger(url: string, extra: Partial<ConstructorParameters<typeof SimulatedCharger>[0]> = {}) {
  const c = new SimulatedCharger({
    url, id: 'CP-1', profile, idTags: ['A'], sessions: 1, meterIntervalMs: 0, idleMs: 0, reportsSessionStatus: false,
    retriesTransactionMessages: true, backoff: { initialMs: 5, maxMs: 20 }, ...extra,
  });
  cleanup.push(() => c.close());
  return c;
}

const accepted = { idTagInfo: { status: 'Accepted' } };
const normal = (action: string): { result: unknown } =>
  action === 'StartTransaction' ? { result: { transactionId: 9, ...accepted } }
  : action === 'BootNotification' ? { result: { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 } }
  : action === 'Authorize' || action === 'StopTransaction' ? { result: accepted } : { result: {} };

describe('SimulatedCharger with retriesTransactionMessages', () => {
  it('resends StartTransaction, MeterValues and StopTransaction unchanged until acknowledged', async () => {
    // Each transaction message fails twice before it is acknowledged.
    const csms = await fakeCsms((action, _p, attempt) => (action !== 'Authorize' && action !== 'BootNotification' && action !== 'StatusNotification' && (attempt - 1) % 3 < 2 ? { error: 'InternalError' } : normal(action)));
    cleanup.push(csms.close);
    const outcomes: string[] = [];
    const c = charger(csms.url, { onCall: (action, _ms, ok, failure) => outcomes.push(`${action}:${ok ? 'ok' : failure?.code}`) });
    await c.run();
    for (const action of ['StartTransaction', 'MeterValues', 'StopTransaction']) {
      const sent = csms.calls.filter((x) => x.action === action).map((x) => JSON.stringify(x.payload));
      assert.ok(sent.length >= 3, `${action} sent ${sent.length} times`);
      // Three sends per message: the same payload each time.
      for (let i = 0; i < sent.length; i += 3) assert.equal(new Set(sent.slice(i, i + 3)).size, 1, `${action} changed between resends`);
    }
    assert.equal(c.sessionsCompleted, 1);
    assert.ok(outcomes.includes('StartTransaction:InternalError'));
  });

  it('a failed Authorize ends that session only; the loop carries on', async () => {
    const csms = await fakeCsms((action, _p, attempt) => (action === 'Authorize' && attempt === 1 ? { error: 'InternalError' } : normal(action)));
    cleanup.push(csms.close);
    const c = charger(csms.url, { sessions: 2 });
    await c.run();
    assert.equal(csms.calls.filter((x) => x.action === 'Authorize').length, 2);
    assert.equal(c.sessionsCompleted, 1);
  });

  it('stop() ends the resending', async () => {
    const csms = await fakeCsms((action) => (action === 'StartTransaction' ? { error: 'InternalError' } : normal(action)));
    cleanup.push(csms.close);
    const c = charger(csms.url, { sessions: 0 });
    const running = c.run();
    while (csms.calls.filter((x) => x.action === 'StartTransaction').length < 3) await new Promise((r) => setTimeout(r, 5));
    c.stop();
    await running;
    assert.equal(c.sessionsCompleted, 0);
  });

  it('without the option a CALLERROR still ends the run, as before', async () => {
    const csms = await fakeCsms((action) => (action === 'StartTransaction' ? { error: 'InternalError' } : normal(action)));
    cleanup.push(csms.close);
    await assert.rejects(charger(csms.url, { retriesTransactionMessages: false }).run(), /storage unavailable/);
  });
});
