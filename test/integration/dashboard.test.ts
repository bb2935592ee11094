// PRODUCT.md "Other endpoints": the dashboard at /, from the same process, as static files built from src/ui.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

describe('dashboard at /', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('serves the built page at / with a same-origin-only Content-Security-Policy, and its hashed assets cached for good', async () => {
    const page = await fetch(`${t.httpUrl}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    assert.match(page.headers.get('content-security-policy')!, /default-src 'self'/);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const html = await page.text();
    const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, html);
    const asset = await fetch(`${t.httpUrl}/${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type')!, /javascript/);
    assert.match(asset.headers.get('cache-control')!, /immutable/);
    assert.doesNotMatch(html, /https?:\/\//, 'no request leaves the server');
  });

  it('leaves the API, the probes and unknown paths as they were', async () => {
    assert.equal((await fetch(`${t.httpUrl}/healthz`)).status, 200);
    assert.equal((await fetch(`${t.httpUrl}/no-such-page`)).status, 404);
    const api = await fetch(`${t.httpUrl}/api/v1/no-such-route`);
    assert.equal(api.status, 404);
    assert.ok(((await api.json()) as { error: { code: string } }).error.code, 'the API error shape, not a page');
  });
});
