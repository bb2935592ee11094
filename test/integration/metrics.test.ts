// /metrics: Prometheus text with the figures an operator graphs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

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
