// Any CSMS-initiated OCPP 1.6 call from the API over real sockets (PRODUCT.md `POST …/ocpp/{action}`):
// the payload checked against the official schema before it is sent, every outcome answered, every command kept.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallError } from '../../src/ocpp/rpc/errors.js';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';

const json = { 'content-type': 'application/json' };
let n = 0;

describe('generic OCPP commands and their history (OCPP 1.6)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ callTimeoutMs: 300 });
  });
  after(() => t.close());

  /** A booted charger with the given handlers, remembering every call it received. */
  async function charger(handlers: Record<string, (payload: any) => unknown> = {}) {
    const id = `CP-CMD-${++n}`;
    const received: Array<[string, unknown]> = [];
    const wrapped = Object.fromEntries(
      Object.entries(handlers).map(([action, handler]) => [action, (payload: any) => (received.push([action, payload]), handler(payload))]),
    );
    const c = await t.charger(id, { handlers: wrapped });
    await c.call('BootNotification', bootPayload);
    return { c, id, received };
  }
  const send = (id: string, action: string, body: unknown) =>
    t.api(`/api/v1/charge-points/${encodeURIComponent(id)}/ocpp/${action}`, { method: 'POST', headers: json, body: JSON.stringify(body) });
  const history = async (id: string, query = '') => (await (await t.api(`/api/v1/charge-points/${encodeURIComponent(id)}/commands${query}`)).json()) as any;

  it("OCPP 1.6 §5.13 Reset: an accepted call returns the charger's answer and is kept with status ok", async () => {
    const { id, received } = await charger({ Reset: async () => ({ status: 'Accepted' }) });
    const r = await send(id, 'Reset', { type: 'Soft' });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: 'Accepted' });
    assert.deepEqual(received, [['Reset', { type: 'Soft' }]]);
    const page = await history(id);
    assert.equal(page.items.length, 1);
    const [command] = page.items;
    assert.equal(command.action, 'Reset');
    assert.deepEqual(command.payload, { type: 'Soft' });
    assert.deepEqual(command.answer, { status: 'Accepted' });
    assert.equal(command.status, 'ok');
    assert.equal(command.errorCode, null);
    assert.ok(command.answeredAt >= command.requestedAt && command.durationMs >= 0);
  });

  it('CONFORMANCE 25: a new AuthorizationKey reaches the charger, and the command history keeps it as [redacted]', async () => {
    const { id, received } = await charger({ ChangeConfiguration: async () => ({ status: 'Accepted' }) });
    const key = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const r = await send(id, 'ChangeConfiguration', { key: 'AuthorizationKey', value: key });
    assert.equal(r.status, 200);
    assert.deepEqual(received, [['ChangeConfiguration', { key: 'AuthorizationKey', value: key }]]);
    const page = await history(id);
    assert.deepEqual(page.items[0].payload, { key: 'AuthorizationKey', value: '[redacted]' });
    assert.doesNotMatch(JSON.stringify(page), new RegExp(key));
  });

  it('OCPP 1.6 §5.4 ChangeConfiguration and §5.8 GetConfiguration: a Rejected answer is returned as is and kept as rejected', async () => {
    const { id } = await charger({
      ChangeConfiguration: async () => ({ status: 'Rejected' }),
      GetConfiguration: async (req) => ({ configurationKey: [{ key: req.key[0], readonly: true, value: '60' }] }),
    });
    const r = await send(id, 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '60' });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: 'Rejected' });
    const g = await send(id, 'GetConfiguration', { key: ['HeartbeatInterval'] });
    assert.deepEqual(await g.json(), { configurationKey: [{ key: 'HeartbeatInterval', readonly: true, value: '60' }] });
    const page = await history(id);
    assert.deepEqual(page.items.map((c: any) => [c.action, c.status]), [['GetConfiguration', 'ok'], ['ChangeConfiguration', 'rejected']], 'newest first');
  });

  it('PRODUCT.md: an invalid payload is 400 naming the field and what is wrong, and nothing is sent', async () => {
    const { id, received } = await charger({ UnlockConnector: async () => ({ status: 'Unlocked' }), Reset: async () => ({ status: 'Accepted' }) });
    const missing = await send(id, 'UnlockConnector', {});
    assert.equal(missing.status, 400);
    const body = (await missing.json()) as any;
    assert.equal(body.error.code, 'validation_error');
    assert.match(body.error.message, /connectorId/);
    const wrongType = await send(id, 'Reset', { type: 'Sideways' });
    assert.equal(wrongType.status, 400);
    assert.match(((await wrongType.json()) as any).error.message, /type: must be one of Hard, Soft/);
    const extra = await send(id, 'UnlockConnector', { connectorId: 'one' });
    assert.equal(extra.status, 400);
    assert.match(((await extra.json()) as any).error.message, /connectorId: must be integer/);
    assert.deepEqual(received, []);
    assert.deepEqual((await history(id)).items, [], 'nothing sent, nothing kept');
  });

  it('PRODUCT.md: an action the CSMS cannot send is 404 naming the allowed actions', async () => {
    const { id } = await charger();
    for (const action of ['BootNotification', 'Rest']) {
      const r = await send(id, action, {});
      assert.equal(r.status, 404, action);
      const body = (await r.json()) as any;
      assert.equal(body.error.code, 'unknown_action');
      assert.match(body.error.message, /Reset, SendLocalList/);
    }
  });

  it('PRODUCT.md: an unknown charger is 404 and a disconnected one 409', async () => {
    const unknown = await send('CP-NOBODY', 'Reset', { type: 'Hard' });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as any).error.code, 'not_found');
    const { c, id } = await charger();
    c.terminate();
    for (let i = 0; i < 50; i++) {
      const cp = (await (await t.api(`/api/v1/charge-points/${id}`)).json()) as any;
      if (!cp.connected) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const gone = await send(id, 'Reset', { type: 'Hard' });
    assert.equal(gone.status, 409);
    assert.equal(((await gone.json()) as any).error.code, 'charger_not_connected');
    assert.equal((await history('CP-NOBODY')).error.code, 'not_found');
  });

  it('PRODUCT.md: a charger that never answers is 504 after VOLTGATE_CALL_TIMEOUT_MS, kept as timeout', async () => {
    const { id } = await charger({ TriggerMessage: () => new Promise(() => {}) });
    const started = Date.now();
    const r = await send(id, 'TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 1 });
    assert.equal(r.status, 504);
    assert.equal(((await r.json()) as any).error.code, 'charger_timeout');
    assert.ok(Date.now() - started < 3000, 'never a hang');
    const [command] = (await history(id)).items;
    assert.equal(command.status, 'timeout');
    assert.equal(command.errorCode, 'Timeout');
    assert.equal(command.answer, null);
    assert.ok(command.durationMs >= 250);
  });

  it('OCPP-J 1.6 §4.2.3: a CALLERROR answer is 502 naming its code, kept as error with the code', async () => {
    const { id } = await charger({
      DataTransfer: async () => {
        throw new CallError('NotImplemented', 'no vendor extensions here');
      },
    });
    const r = await send(id, 'DataTransfer', { vendorId: 'com.example', messageId: 'Hello', data: 'x' });
    assert.equal(r.status, 502);
    const body = (await r.json()) as any;
    assert.equal(body.error.code, 'charger_error');
    assert.match(body.error.message, /NotImplemented/);
    const [command] = (await history(id)).items;
    assert.equal(command.status, 'error');
    assert.equal(command.errorCode, 'NotImplemented');
  });

  it('issue 4: remote start, clear cache and the generic route all land in the history, paged newest first', async () => {
    const { id } = await charger({
      ClearCache: async () => ({ status: 'Accepted' }),
      GetLocalListVersion: async () => ({ listVersion: 3 }),
      CancelReservation: async () => ({ status: 'Rejected' }),
    });
    assert.equal((await t.api(`/api/v1/charge-points/${id}/clear-cache`, { method: 'POST' })).status, 200);
    // No body: the empty payload GetLocalListVersion's schema asks for.
    assert.equal((await t.api(`/api/v1/charge-points/${id}/ocpp/GetLocalListVersion`, { method: 'POST' })).status, 200);
    assert.equal((await send(id, 'CancelReservation', { reservationId: 7 })).status, 200);
    const first = await history(id, '?limit=2');
    assert.deepEqual(first.items.map((c: any) => c.action), ['CancelReservation', 'GetLocalListVersion']);
    assert.ok(first.nextCursor);
    const second = await history(id, `?limit=2&cursor=${first.nextCursor}`);
    assert.deepEqual(second.items.map((c: any) => [c.action, c.answer]), [['ClearCache', { status: 'Accepted' }]]);
    assert.equal(second.nextCursor, null);
  });
});
