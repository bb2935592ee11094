// Chargers over HTTP (PRODUCT.md: GET/PUT/DELETE /api/v1/charge-points[/{id}]).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chargePoint, startApi, type ApiHarness } from '../support/api-fakes.js';

const FIELDS = ['connected', 'connectors', 'firmwareVersion', 'id', 'lastSeenAt', 'model', 'passwordChangePending', 'pendingSecurityProfile', 'protocol', 'registrationStatus', 'securityProfile', 'serialNumber', 'soapEndpoint', 'vendor'];

describe('REST API: charge points', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApi();
    h.deps.chargePointRows = [chargePoint('CP-1'), chargePoint('CP-2'), chargePoint('CP-3')];
    h.deps.connectedIds.add('CP-2');
  });
  after(() => h.close());

  it('PRODUCT.md: GET lists chargers with the published fields only, `connected` from the live gateway', async () => {
    const r = await h.api('/api/v1/charge-points');
    assert.equal(r.status, 200);
    const page = await r.json();
    assert.equal(page.nextCursor, null);
    assert.deepEqual(page.items.map((cp: any) => [cp.id, cp.connected]), [['CP-1', false], ['CP-2', true], ['CP-3', false]]);
    assert.deepEqual(Object.keys(page.items[0]).sort(), FIELDS, 'createdAt and connector internals are not published');
    assert.deepEqual(page.items[0].connectors, [{ evseId: null, connectorId: 1, status: 'Available', errorCode: 'NoError', updatedAt: '2026-01-02T03:04:05.000Z' }]);
  });

  it('PRODUCT.md lists: limit and cursor page through, nextCursor null on the last page', async () => {
    const first = await (await h.api('/api/v1/charge-points?limit=2')).json();
    assert.deepEqual(first.items.map((cp: any) => cp.id), ['CP-1', 'CP-2']);
    assert.equal(typeof first.nextCursor, 'string');
    const second = await (await h.api(`/api/v1/charge-points?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)).json();
    assert.deepEqual(second.items.map((cp: any) => cp.id), ['CP-3']);
    assert.equal(second.nextCursor, null);
    assert.equal((await h.api('/api/v1/charge-points?limit=0')).status, 400);
  });

  it('PRODUCT.md: GET one charger; an unknown id is 404 with the error shape', async () => {
    const r = await h.api('/api/v1/charge-points/CP-2');
    assert.equal(r.status, 200);
    assert.equal((await r.json()).connected, true);
    const missing = await h.api('/api/v1/charge-points/NOPE');
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: { code: 'not_found', message: "Charge point 'NOPE' not found" } });
  });

  it('PRODUCT.md: PUT registers a charger whose id needs percent-encoding (RDAM%20123), and GET finds it', async () => {
    const r = await h.api('/api/v1/charge-points/RDAM%20123', { method: 'PUT', body: JSON.stringify({ registrationStatus: 'Pending' }) });
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.equal(body.id, 'RDAM 123');
    assert.equal(body.registrationStatus, 'Pending');
    assert.deepEqual(Object.keys(body).sort(), FIELDS);
    assert.equal((await (await h.api('/api/v1/charge-points/RDAM%20123')).json()).id, 'RDAM 123');
  });

  it('PRODUCT.md: PUT updates only the fields sent; an empty PUT registers with defaults', async () => {
    const r = await h.api('/api/v1/charge-points/CP-1', { method: 'PUT', body: JSON.stringify({ vendor: 'ABB' }) });
    assert.equal(r.status, 200);
    assert.deepEqual(h.deps.calls.at(-1), ['chargePoints.put', { id: 'CP-1', vendor: 'ABB' }]);
    assert.equal((await r.json()).model, 'Sim');
    const bare = await h.api('/api/v1/charge-points/CP-NEW', { method: 'PUT' });
    assert.equal(bare.status, 200);
    assert.deepEqual(h.deps.calls.at(-1), ['chargePoints.put', { id: 'CP-NEW' }]);
  });

  it('PRODUCT.md errors: PUT with an unknown registrationStatus is 400 naming the field', async () => {
    const r = await h.api('/api/v1/charge-points/CP-1', { method: 'PUT', body: JSON.stringify({ registrationStatus: 'Yes' }) });
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), {
      error: { code: 'validation_error', message: 'body/registrationStatus must be equal to one of the allowed values: Accepted, Pending, Rejected' },
    });
  });

  it('PRODUCT.md: DELETE removes a charger (204); deleting an unknown one is 404', async () => {
    const r = await h.api('/api/v1/charge-points/RDAM%20123', { method: 'DELETE' });
    assert.equal(r.status, 204);
    assert.equal((await h.api('/api/v1/charge-points/RDAM%20123')).status, 404);
    const again = await h.api('/api/v1/charge-points/RDAM%20123', { method: 'DELETE' });
    assert.equal(again.status, 404);
    assert.equal((await again.json()).error.code, 'not_found');
  });
});
