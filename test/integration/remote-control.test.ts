// Remote start and stop over real sockets: the tag checked before anything is sent, the charger's answer
// returned, and a start request that ends Started, Failed or TimedOut.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';

const json = { 'content-type': 'application/json' };
let n = 0;

describe('remote start and stop (OCPP 1.6)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ remoteStartTimeoutS: 1, callTimeoutMs: 400 });
    for (const idTag of ['REMOTE-OK', 'REMOTE-BLOCKED']) {
      await t.api(`/api/v1/id-tags/${idTag}`, { method: 'PUT', headers: json, body: JSON.stringify({ status: idTag.endsWith('OK') ? 'Accepted' : 'Blocked' }) });
    }
  });
  after(() => t.close());

  /** A charger that answers RemoteStart/RemoteStop as told, and remembers what it was sent. */
  async function charger(answers: { start?: string; stop?: string; hang?: boolean } = {}) {
    const id = `CP-RC-${++n}`;
    const received: Array<[string, any]> = [];
    const reply = (action: string, status: string | undefined) => async (payload: any) => {
      received.push([action, payload]);
      if (answers.hang) return new Promise(() => {});
      return { status: status ?? 'Accepted' };
    };
    const c = await t.charger(id, { handlers: { RemoteStartTransaction: reply('RemoteStartTransaction', answers.start), RemoteStopTransaction: reply('RemoteStopTransaction', answers.stop) } });
    await c.call('BootNotification', bootPayload);
    return { c, id, received };
  }
  const post = (path: string, body: unknown) => t.api(path, { method: 'POST', headers: json, body: JSON.stringify(body) });
  const startRequest = async (id: string) => (await (await t.api(`/api/v1/start-requests/${id}`)).json()) as any;

  it('CONFORMANCE 43: a remote start with a refused tag is Rejected before anything is sent, and its start request is Failed', async () => {
    const { id, received } = await charger();
    const response = await post(`/api/v1/charge-points/${id}/remote-start`, { idTag: 'REMOTE-BLOCKED', connectorId: 1 });
    assert.equal(response.status, 200);
    const body = (await response.json()) as any;
    assert.equal(body.status, 'Rejected');
    assert.match(body.detail, /Blocked/);
    assert.deepEqual(received, []);
    assert.equal((await startRequest(body.startRequestId)).status, 'Failed');
    const unknown = (await (await post(`/api/v1/charge-points/${id}/remote-start`, { idTag: 'NOBODY' })).json()) as any;
    assert.equal(unknown.status, 'Rejected');
  });

  it('CONFORMANCE 43: the charger answering Rejected is returned as Rejected, and no session exists', async () => {
    const { id, received } = await charger({ start: 'Rejected' });
    const body = (await (await post(`/api/v1/charge-points/${id}/remote-start`, { idTag: 'REMOTE-OK', connectorId: 1 })).json()) as any;
    assert.equal(body.status, 'Rejected');
    assert.deepEqual(received, [['RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE-OK' }]]);
    assert.equal((await startRequest(body.startRequestId)).status, 'Failed');
    const sessions = (await (await t.api(`/api/v1/transactions?chargePointId=${id}`)).json()) as any;
    assert.equal(sessions.items.length, 0);
  });

  it('PRODUCT.md: an accepted remote start is Started, with its transaction id, once the StartTransaction arrives', async () => {
    const { c, id } = await charger();
    const body = (await (await post(`/api/v1/charge-points/${id}/remote-start`, { idTag: 'REMOTE-OK' })).json()) as any;
    assert.equal(body.status, 'Accepted');
    assert.equal((await startRequest(body.startRequestId)).status, 'Pending');
    const start = (await c.call('StartTransaction', { connectorId: 2, idTag: 'remote-ok', meterStart: 0, timestamp: new Date().toISOString() })) as any;
    const settled = await startRequest(body.startRequestId);
    assert.equal(settled.status, 'Started');
    assert.equal(settled.transactionId, start.transactionId);
  });

  it('CONFORMANCE 43: an accepted remote start with no StartTransaction in time becomes TimedOut', async () => {
    const { id } = await charger();
    const body = (await (await post(`/api/v1/charge-points/${id}/remote-start`, { idTag: 'REMOTE-OK', connectorId: 1 })).json()) as any;
    assert.equal(body.status, 'Accepted');
    await new Promise((r) => setTimeout(r, 1200));
    const settled = await startRequest(body.startRequestId);
    assert.equal(settled.status, 'TimedOut');
    assert.equal(settled.transactionId, null);
  });

  it('PRODUCT.md: 404 for an unknown charger, 409 for a disconnected one, 504 when it does not answer, 400 naming a bad field', async () => {
    assert.equal((await post('/api/v1/charge-points/NO-SUCH-CP/remote-start', { idTag: 'REMOTE-OK' })).status, 404);
    const gone = await charger();
    gone.c.terminate();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await post(`/api/v1/charge-points/${gone.id}/remote-start`, { idTag: 'REMOTE-OK' })).status, 409);
    const mute = await charger({ hang: true });
    const started = performance.now();
    const timeout = await post(`/api/v1/charge-points/${mute.id}/remote-start`, { idTag: 'REMOTE-OK' });
    assert.equal(timeout.status, 504);
    assert.ok(performance.now() - started < 2000);
    const bad = await post(`/api/v1/charge-points/${mute.id}/remote-start`, { idTag: 'X'.repeat(21) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as any).error.message, /idTag/);
    assert.equal((await t.api('/api/v1/start-requests/no-such-request')).status, 404);
  });

  it("CONFORMANCE 44: a remote stop of an unknown, another charger's or a stopped transaction is refused before sending", async () => {
    const mine = await charger();
    const other = await charger();
    const otherStart = (await other.c.call('StartTransaction', { connectorId: 1, idTag: 'REMOTE-OK', meterStart: 0, timestamp: new Date().toISOString() })) as any;
    const unknown = await post(`/api/v1/charge-points/${mine.id}/remote-stop`, { transactionId: 987654321 });
    assert.equal(unknown.status, 404);
    const foreign = await post(`/api/v1/charge-points/${mine.id}/remote-stop`, { transactionId: otherStart.transactionId });
    assert.equal(foreign.status, 409);
    assert.match(((await foreign.json()) as any).error.message, new RegExp(other.id));
    await other.c.call('StopTransaction', { transactionId: otherStart.transactionId, meterStop: 1, timestamp: new Date().toISOString() });
    assert.equal((await post(`/api/v1/charge-points/${other.id}/remote-stop`, { transactionId: otherStart.transactionId })).status, 409);
    assert.deepEqual(mine.received, []);
    assert.deepEqual(other.received, []);
  });

  it("CONFORMANCE 44: the charger's Accepted or Rejected to a remote stop is returned as it is", async () => {
    for (const answer of ['Accepted', 'Rejected']) {
      const { c, id, received } = await charger({ stop: answer });
      const start = (await c.call('StartTransaction', { connectorId: 1, idTag: 'REMOTE-OK', meterStart: 0, timestamp: new Date().toISOString() })) as any;
      const response = await post(`/api/v1/charge-points/${id}/remote-stop`, { transactionId: start.transactionId });
      assert.deepEqual(await response.json(), { status: answer });
      assert.deepEqual(received, [['RemoteStopTransaction', { transactionId: start.transactionId }]]);
    }
  });
});
