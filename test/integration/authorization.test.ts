// Authorization end to end: whitelist rules over real sockets, the decision log, and the operator's own
// authorizer (a real HTTP server) answering, slow, down, or talking nonsense.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';
import { answer, startFakeAuthorizer, type FakeAuthorizer } from '../support/fake-authorizer.js';

const json = { 'content-type': 'application/json' };
let chargerCount = 0;

async function putTag(t: TestServer, idTag: string, body: Record<string, unknown>) {
  const response = await t.api(`/api/v1/id-tags/${idTag}`, { method: 'PUT', headers: json, body: JSON.stringify(body) });
  assert.ok(response.status === 200 || response.status === 201, await response.text());
}

async function freshCharger(t: TestServer) {
  const id = `CP-AUTH-${++chargerCount}`;
  const c = await t.charger(id);
  await c.call('BootNotification', bootPayload);
  return { c, id };
}

/** Decisions are appended without making the charger wait: poll until the expected number is there. */
async function decisions(t: TestServer, query: string, atLeast: number): Promise<any[]> {
  for (let i = 0; ; i++) {
    const page = (await (await t.api(`/api/v1/authorizations?${query}`)).json()) as any;
    if (page.items.length >= atLeast || i > 40) return page.items;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const stamp = (minute: number) => `2026-08-01T10:${String(minute).padStart(2, '0')}:00Z`;

describe('authorization by the whitelist', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('CONFORMANCE 36: an accepted tag is answered Accepted with its expiryDate and parentIdTag, and the decision is recorded', async () => {
    await putTag(t, 'FLEET-A', { status: 'Accepted' });
    await putTag(t, 'card-a1', { status: 'Accepted', expiryDate: '2030-01-01T00:00:00Z', parentIdTag: 'FLEET-A' });
    const { c, id } = await freshCharger(t);
    assert.deepEqual(await c.call('Authorize', { idTag: 'CARD-A1' }), {
      idTagInfo: { status: 'Accepted', expiryDate: '2030-01-01T00:00:00.000Z', parentIdTag: 'FLEET-A' },
    });
    const [decision] = await decisions(t, `chargePointId=${id}`, 1);
    assert.deepEqual(
      { reason: decision.reason, status: decision.status, source: decision.source, idTag: decision.idTag, connectorId: decision.connectorId },
      { reason: 'Authorize', status: 'Accepted', source: 'whitelist', idTag: 'CARD-A1', connectorId: null },
    );
  });

  it('CONFORMANCE 37: a passed expiryDate answers Expired, and blocking a group blocks its members', async () => {
    await putTag(t, 'OLD-CARD', { status: 'Accepted', expiryDate: '2020-01-01T00:00:00Z' });
    await putTag(t, 'FLEET-B', { status: 'Accepted' });
    await putTag(t, 'CARD-B1', { status: 'Accepted', parentIdTag: 'FLEET-B' });
    const { c } = await freshCharger(t);
    assert.equal(((await c.call('Authorize', { idTag: 'OLD-CARD' })) as any).idTagInfo.status, 'Expired');
    assert.equal(((await c.call('Authorize', { idTag: 'CARD-B1' })) as any).idTagInfo.status, 'Accepted');
    await putTag(t, 'FLEET-B', { status: 'Blocked' });
    assert.equal(((await c.call('Authorize', { idTag: 'CARD-B1' })) as any).idTagInfo.status, 'Blocked');
  });

  it('CONFORMANCE 39: a tag already in a session gets ConcurrentTx (still with a transaction id) unless it allows more', async () => {
    await putTag(t, 'SOLO', { status: 'Accepted' });
    await putTag(t, 'DUO', { status: 'Accepted', maxActiveTransactions: 2 });
    const { c } = await freshCharger(t);
    const first = (await c.call('StartTransaction', { connectorId: 1, idTag: 'SOLO', meterStart: 0, timestamp: stamp(1) })) as any;
    assert.equal(first.idTagInfo.status, 'Accepted');
    const second = (await c.call('StartTransaction', { connectorId: 2, idTag: 'solo', meterStart: 0, timestamp: stamp(2) })) as any;
    assert.equal(second.idTagInfo.status, 'ConcurrentTx');
    assert.ok(second.transactionId > 0 && second.transactionId !== first.transactionId);
    await c.call('StopTransaction', { transactionId: first.transactionId, meterStop: 10, timestamp: stamp(3) });
    await c.call('StopTransaction', { transactionId: second.transactionId, meterStop: 10, timestamp: stamp(3) });
    assert.equal(((await c.call('StartTransaction', { connectorId: 1, idTag: 'SOLO', meterStart: 10, timestamp: stamp(4) })) as any).idTagInfo.status, 'Accepted');

    const statuses = [];
    for (const connectorId of [1, 2, 3]) {
      statuses.push(((await c.call('StartTransaction', { connectorId, idTag: 'DUO', meterStart: 0, timestamp: stamp(5) })) as any).idTagInfo.status);
    }
    assert.deepEqual(statuses, ['Accepted', 'Accepted', 'ConcurrentTx']);
  });

  it('CONFORMANCE 39: the open sessions a tag has survive a restart (they are counted from storage at start)', async () => {
    await putTag(t, 'LONG-SESSION', { status: 'Accepted' });
    const { c } = await freshCharger(t);
    await c.call('StartTransaction', { connectorId: 1, idTag: 'LONG-SESSION', meterStart: 0, timestamp: stamp(20) });
    await t.restart();
    const { c: again } = await freshCharger(t);
    const second = (await again.call('StartTransaction', { connectorId: 1, idTag: 'LONG-SESSION', meterStart: 0, timestamp: stamp(21) })) as any;
    assert.equal(second.idTagInfo.status, 'ConcurrentTx');
  });

  it('CONFORMANCE 40: a tag blocked between Authorize and StartTransaction gets Blocked with a transaction id, the session kept and flagged', async () => {
    await putTag(t, 'TURNCOAT', { status: 'Accepted' });
    const { c } = await freshCharger(t);
    assert.equal(((await c.call('Authorize', { idTag: 'TURNCOAT' })) as any).idTagInfo.status, 'Accepted');
    await putTag(t, 'TURNCOAT', { status: 'Blocked' });
    const start = (await c.call('StartTransaction', { connectorId: 1, idTag: 'TURNCOAT', meterStart: 0, timestamp: stamp(6) })) as any;
    assert.equal(start.idTagInfo.status, 'Blocked');
    assert.ok(start.transactionId > 0);
    const stored = (await (await t.api(`/api/v1/transactions/${start.transactionId}`)).json()) as any;
    assert.ok(stored.flags.includes('tag-blocked'));
  });

  it('CONFORMANCE 42: a stop by another card of the same group is Accepted; by an unrelated card it is answered and the session flagged', async () => {
    await putTag(t, 'FLEET-C', { status: 'Accepted' });
    await putTag(t, 'CARD-C1', { status: 'Accepted', parentIdTag: 'FLEET-C' });
    await putTag(t, 'CARD-C2', { status: 'Accepted', parentIdTag: 'FLEET-C' });
    await putTag(t, 'STRANGER', { status: 'Accepted' });
    const { c, id } = await freshCharger(t);
    const a = (await c.call('StartTransaction', { connectorId: 1, idTag: 'CARD-C1', meterStart: 0, timestamp: stamp(7) })) as any;
    const b = (await c.call('StartTransaction', { connectorId: 2, idTag: 'CARD-C2', meterStart: 0, timestamp: stamp(7) })) as any;
    const byGroup = (await c.call('StopTransaction', { transactionId: a.transactionId, idTag: 'CARD-C2', meterStop: 5, timestamp: stamp(8) })) as any;
    assert.equal(byGroup.idTagInfo.status, 'Accepted');
    const byStranger = (await c.call('StopTransaction', { transactionId: b.transactionId, idTag: 'STRANGER', meterStop: 5, timestamp: stamp(8) })) as any;
    assert.equal(byStranger.idTagInfo.status, 'Accepted');
    const sessionA = (await (await t.api(`/api/v1/transactions/${a.transactionId}`)).json()) as any;
    const sessionB = (await (await t.api(`/api/v1/transactions/${b.transactionId}`)).json()) as any;
    assert.ok(!sessionA.flags.includes('stop-tag-unrelated'));
    assert.ok(sessionB.flags.includes('stop-tag-unrelated'));
    assert.equal(sessionB.status, 'Completed');
    const stops = (await decisions(t, `chargePointId=${id}`, 4)).filter((d) => d.reason === 'StopTransaction');
    assert.equal(stops.length, 2, 'the idTagInfo of each stop is a recorded decision');
  });

  it('the decision log pages newest first and filters by tag (case-insensitively), charger and source', async () => {
    await putTag(t, 'LOGGED', { status: 'Accepted' });
    const { c, id } = await freshCharger(t);
    for (let i = 0; i < 5; i++) await c.call('Authorize', { idTag: i % 2 ? 'logged' : 'NOBODY-KNOWS' });
    const all = await decisions(t, `chargePointId=${id}`, 5);
    assert.equal(all.length, 5);
    assert.deepEqual(all.map((d) => d.id), [...all.map((d) => d.id)].sort((x, y) => y - x));
    assert.equal((await decisions(t, `chargePointId=${id}&idTag=LOGGED`, 2)).length, 2);
    const page = (await (await t.api(`/api/v1/authorizations?chargePointId=${id}&limit=2`)).json()) as any;
    const next = (await (await t.api(`/api/v1/authorizations?chargePointId=${id}&limit=2&cursor=${page.nextCursor}`)).json()) as any;
    assert.equal(page.items.length + next.items.length, 4);
    assert.ok(next.items[0].id < page.items[1].id);
    assert.equal((await t.api('/api/v1/authorizations?source=psychic')).status, 400);
  });
});

describe("authorization by the operator's authorizer (VOLTGATE_AUTHORIZER_URL)", () => {
  let t: TestServer;
  let authorizer: FakeAuthorizer;
  const SECRET = 'authorizer-shared-secret';
  before(async () => {
    authorizer = await startFakeAuthorizer();
    t = await startTestServer({ authorizerUrl: authorizer.url, authorizerTimeoutMs: 300, authorizerCacheS: 0, authorizerSecret: SECRET });
    await putTag(t, 'WHITE', { status: 'Accepted' });
  });
  after(async () => {
    await t.close();
    await authorizer.close();
  });

  it('PRODUCT.md: its answer wins over the whitelist; it gets {chargePointId, connectorId, idTag, reason}, signed like a webhook', async () => {
    const { c, id } = await freshCharger(t);
    authorizer.behave(answer({ status: 'Accepted', parentIdTag: 'SUBSCRIBERS' }));
    assert.deepEqual(await c.call('Authorize', { idTag: 'APP-USER-1' }), { idTagInfo: { status: 'Accepted', parentIdTag: 'SUBSCRIBERS' } });
    const request = authorizer.requests.at(-1)!;
    assert.deepEqual(request.json, { chargePointId: id, connectorId: null, idTag: 'APP-USER-1', reason: 'Authorize' });
    assert.equal(request.headers['x-voltgate-signature'], createHmac('sha256', SECRET).update(request.body).digest('hex'));

    authorizer.behave(answer({ status: 'Blocked' }));
    const start = (await c.call('StartTransaction', { connectorId: 2, idTag: 'WHITE', meterStart: 0, timestamp: stamp(10) })) as any;
    assert.equal(start.idTagInfo.status, 'Blocked', 'a whitelisted tag the authorizer refuses is refused');
    assert.ok(start.transactionId > 0);
    assert.deepEqual(authorizer.requests.at(-1)!.json, { chargePointId: id, connectorId: 2, idTag: 'WHITE', reason: 'StartTransaction' });
    const logged = await decisions(t, `chargePointId=${id}&source=authorizer`, 2);
    assert.equal(logged.length, 2);
  });

  it('PRODUCT.md: a remote start asks the authorizer too (reason RemoteStart), and its refusal sends nothing to the charger', async () => {
    const id = `CP-AUTH-${++chargerCount}`;
    const sent: unknown[] = [];
    const c = await t.charger(id, { handlers: { RemoteStartTransaction: async (payload: unknown) => (sent.push(payload), { status: 'Accepted' }) } });
    await c.call('BootNotification', bootPayload);
    const post = () => t.api(`/api/v1/charge-points/${id}/remote-start`, { method: 'POST', headers: json, body: JSON.stringify({ idTag: 'APP-ONLY', connectorId: 1 }) });
    authorizer.behave(answer({ status: 'Accepted' }));
    assert.equal(((await (await post()).json()) as any).status, 'Accepted');
    assert.deepEqual(authorizer.requests.at(-1)!.json, { chargePointId: id, connectorId: 1, idTag: 'APP-ONLY', reason: 'RemoteStart' });
    authorizer.behave(answer({ status: 'Blocked' }));
    assert.equal(((await (await post()).json()) as any).status, 'Rejected');
    assert.equal(sent.length, 1);
  });

  it('CONFORMANCE 41: a slow authorizer never holds the charger past the timeout; the whitelist decides and the record says why', async () => {
    const { c, id } = await freshCharger(t);
    authorizer.behave(answer({ status: 'Accepted' }, 3000));
    const started = performance.now();
    const unknown = (await c.call('Authorize', { idTag: 'NOT-IN-WHITELIST' })) as any;
    const white = (await c.call('Authorize', { idTag: 'WHITE' })) as any;
    const elapsed = performance.now() - started;
    assert.equal(unknown.idTagInfo.status, 'Invalid');
    assert.equal(white.idTagInfo.status, 'Accepted');
    assert.ok(elapsed < 2 * 300 + 400, `two Authorizes took ${elapsed.toFixed(0)} ms with a 300 ms timeout`);
    const [last] = await decisions(t, `chargePointId=${id}&source=fallback`, 2);
    assert.match(last.detail, /timed out after 300 ms/);
  });

  it('CONFORMANCE 41: an authorizer answering 5xx, malformed JSON or the wrong shape is a fallback to the whitelist', async () => {
    const { c, id } = await freshCharger(t);
    const cases = [
      { behaviour: () => ({ status: 503, body: '{"status":"Accepted"}' }), detail: /HTTP 503/ },
      { behaviour: () => ({ body: '{"status": "Accep' }), detail: /not JSON/ },
      { behaviour: () => ({ body: '{"status": "Yes please"}' }), detail: /nonsense: status must be one of/ },
    ];
    for (const [i, { behaviour, detail }] of cases.entries()) {
      authorizer.behave(behaviour);
      assert.equal(((await c.call('Authorize', { idTag: 'WHITE' })) as any).idTagInfo.status, 'Accepted');
      assert.equal(((await c.call('Authorize', { idTag: 'UNKNOWN-CARD' })) as any).idTagInfo.status, 'Invalid');
      const [latest] = await decisions(t, `chargePointId=${id}`, 2 * (i + 1));
      assert.equal(latest.source, 'fallback');
      assert.match(latest.detail, detail);
    }
  });

  it('CONFORMANCE 41: an authorizer that is down is a fallback too, answered at once', async () => {
    const down = await startFakeAuthorizer();
    const url = down.url;
    await down.close();
    const t2 = await startTestServer({ authorizerUrl: url, authorizerTimeoutMs: 300, authorizerCacheS: 0 });
    try {
      await putTag(t2, 'WHITE', { status: 'Accepted' });
      const { c, id } = await freshCharger(t2);
      assert.equal(((await c.call('Authorize', { idTag: 'WHITE' })) as any).idTagInfo.status, 'Accepted');
      const [decision] = await decisions(t2, `chargePointId=${id}`, 1);
      assert.equal(decision.source, 'fallback');
      assert.match(decision.detail, /unreachable/);
    } finally {
      await t2.close();
    }
  });

  it('its answers are cached for VOLTGATE_AUTHORIZER_CACHE_S per charger and tag, and the record says so', async () => {
    const t2 = await startTestServer({ authorizerUrl: authorizer.url, authorizerTimeoutMs: 300, authorizerCacheS: 60 });
    try {
      authorizer.behave(answer({ status: 'Accepted' }));
      const { c, id } = await freshCharger(t2);
      const before = authorizer.requests.length;
      for (let i = 0; i < 3; i++) assert.equal(((await c.call('Authorize', { idTag: 'CACHED-USER' })) as any).idTagInfo.status, 'Accepted');
      assert.equal(authorizer.requests.length - before, 1);
      const sources = (await decisions(t2, `chargePointId=${id}`, 3)).map((d) => d.source).sort();
      assert.deepEqual(sources, ['authorizer', 'authorizer-cache', 'authorizer-cache']);
    } finally {
      await t2.close();
    }
  });
});
