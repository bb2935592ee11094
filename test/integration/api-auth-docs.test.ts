// The API's outer surface: the operator key, the error shape, the probes and the OpenAPI document.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { captureLogger, FAKE_API_KEY, FakeDeps, startApi, type ApiHarness } from '../support/api-fakes.js';

describe('REST API: authentication, errors, probes, documentation', () => {
  let h: ApiHarness;
  const log = captureLogger();
  before(async () => {
    h = await startApi(new FakeDeps(log.logger));
  });
  after(() => h.close());

  it('PRODUCT.md operator side: /api/v1 without Authorization is 401 with the error shape', async () => {
    const r = await fetch(`${h.baseUrl}/api/v1/charge-points`);
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('www-authenticate'), 'Bearer');
    const body = await r.json();
    assert.equal(body.error.code, 'unauthorized');
    assert.equal(typeof body.error.message, 'string');
  });

  it('PRODUCT.md operator side: a wrong key, or the right key under another scheme, is 401', async () => {
    for (const authorization of ['Bearer wrong-key', `Basic ${FAKE_API_KEY}`, `Bearer ${FAKE_API_KEY}x`, 'Bearer']) {
      const r = await h.api('/api/v1/charge-points', { headers: { authorization } });
      assert.equal(r.status, 401, authorization);
      assert.equal((await r.json()).error.code, 'unauthorized');
    }
  });

  it('PRODUCT.md operator side: Bearer <operator key> is let in (scheme case-insensitive, RFC 7235)', async () => {
    assert.equal((await h.api('/api/v1/charge-points')).status, 200);
    assert.equal((await h.api('/api/v1/charge-points', { headers: { authorization: `bearer ${FAKE_API_KEY}` } })).status, 200);
  });

  it('PRODUCT.md errors: an unknown /api route is 404 {"error": {"code": "not_found", …}}', async () => {
    const r = await h.api('/api/v1/no-such-thing');
    assert.equal(r.status, 404);
    assert.deepEqual(await r.json(), { error: { code: 'not_found', message: 'Route GET /api/v1/no-such-thing not found' } });
  });

  it('PRODUCT.md errors: a body that is not JSON is 400 with the error shape', async () => {
    const r = await h.api('/api/v1/id-tags/T1', { method: 'PUT', body: '{not json' });
    assert.equal(r.status, 400);
    assert.equal((await r.json()).error.code, 'bad_request');
  });

  it('PRODUCT.md errors: an unexpected failure is 500 with a generic message, logged, never with the key', async () => {
    const original = h.deps.chargePoints.list;
    h.deps.chargePoints.list = async () => {
      throw new Error('database on fire');
    };
    try {
      const r = await h.api('/api/v1/charge-points');
      assert.equal(r.status, 500);
      assert.deepEqual(await r.json(), { error: { code: 'internal_error', message: 'Internal server error' } });
    } finally {
      h.deps.chargePoints.list = original;
    }
    assert.match(log.text(), /database on fire/);
    assert.ok(!log.text().includes(FAKE_API_KEY), 'the operator key reached a log line');
  });

  it('PRODUCT.md other endpoints: /healthz is 200 {status: ok} without a key', async () => {
    const r = await fetch(`${h.baseUrl}/healthz`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: 'ok' });
  });

  it('PRODUCT.md other endpoints: /readyz is 200 when storage answers, 503 when it does not', async () => {
    assert.equal((await fetch(`${h.baseUrl}/readyz`)).status, 200);
    h.deps.readyError = new Error('database unreachable');
    try {
      const r = await fetch(`${h.baseUrl}/readyz`);
      assert.equal(r.status, 503);
      assert.deepEqual(await r.json(), { status: 'unavailable' });
    } finally {
      h.deps.readyError = null;
    }
  });

  it('PRODUCT.md: /api/docs serves the browsable docs as HTML, with their assets bundled (no CDN)', async () => {
    const r = await fetch(`${h.baseUrl}/api/docs`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/html/);
    const html = await r.text();
    assert.doesNotMatch(html, /https?:\/\//, 'the docs page loads something from another host');
    const bundle = await fetch(`${h.baseUrl}/api/docs/static/swagger-ui-bundle.js`);
    assert.equal(bundle.status, 200);
    await bundle.arrayBuffer();
  });
});
