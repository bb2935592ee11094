// /metrics: Prometheus text with the figures an operator graphs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_API_KEY, startTestServer, type TestServer } from '../support/server.js';

describe('GET /metrics', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('PRODUCT.md: serves Prometheus text with connected chargers and group-commit counters, no key needed', async () => {
    const cp = await t.charger('CP-METRICS');
    await cp.call('StartTransaction', { connectorId: 1, idTag: 'M', meterStart: 0, timestamp: '2026-06-01T10:00:00Z' });
    const response = await fetch(`${t.httpUrl}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
    const text = await response.text();
    assert.match(text, /^voltgate_chargers_connected 1$/m);
    assert.match(text, /^voltgate_storage_up 1$/m);
    assert.match(text, /^voltgate_storage_held_writes 0$/m);
    const writes = Number(/^voltgate_storage_writes_total (\d+)$/m.exec(text)?.[1]);
    assert.ok(writes >= 1, text.slice(0, 200));
    assert.match(text, /^voltgate_process_cpu_seconds_total /m);
  });
});

describe('GET /metrics behind a key (VOLTGATE_METRICS_AUTH)', () => {
  const read = (t: TestServer, key?: string) => fetch(`${t.httpUrl}/metrics`, key ? { headers: { authorization: `Bearer ${key}` } } : {});

  it('operator-key: the operator key is asked for', async () => {
    const t = await startTestServer({ metricsAuth: 'operator-key' });
    try {
      assert.equal((await read(t)).status, 401);
      assert.equal((await read(t, 'not-the-key')).status, 401);
      assert.equal((await read(t, TEST_API_KEY)).status, 200);
    } finally {
      await t.close();
    }
  });

  it('token: a token of its own, for a scraper that should not hold the operator key', async () => {
    const token = 'scraper-token-0123456789';
    const t = await startTestServer({ metricsAuth: 'token', metricsToken: token });
    try {
      assert.equal((await read(t)).status, 401);
      assert.equal((await read(t, TEST_API_KEY)).status, 401, 'the operator key is not the token');
      assert.equal((await read(t, token)).status, 200);
    } finally {
      await t.close();
    }
  });
});
