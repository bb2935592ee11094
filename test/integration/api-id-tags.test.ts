// The whitelist over HTTP (PRODUCT.md: GET /api/v1/id-tags · GET/PUT/DELETE /api/v1/id-tags/{idTag}).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, type ApiHarness } from '../support/api-fakes.js';

const put = (h: ApiHarness, idTag: string, body: unknown) => h.api(`/api/v1/id-tags/${idTag}`, { method: 'PUT', body: JSON.stringify(body) });

async function validationMessage(r: Response): Promise<string> {
  assert.equal(r.status, 400);
  const body = await r.json();
  assert.equal(body.error.code, 'validation_error');
  return body.error.message;
}

describe('REST API: ID tags', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApi();
  });
  after(() => h.close());

  it('PRODUCT.md whitelist: PUT creates a tag: 201, fields left out stored as null, times in UTC', async () => {
    const r = await put(h, 'CARD-1', { status: 'Accepted', expiryDate: '2030-06-01T12:00:00+02:00', label: 'Van 7' });
    assert.equal(r.status, 201);
    assert.deepEqual(await r.json(), {
      idTag: 'CARD-1', status: 'Accepted', expiryDate: '2030-06-01T10:00:00.000Z',
      parentIdTag: null, maxActiveTransactions: null, label: 'Van 7', idTokenType: null,
    });
  });

  it('PRODUCT.md whitelist: PUT replaces an existing tag: 200, and the record carries exactly the published fields', async () => {
    const r = await put(h, 'CARD-1', { status: 'Blocked', parentIdTag: 'FLEET', maxActiveTransactions: 2 });
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.deepEqual(Object.keys(body).sort(), ['expiryDate', 'idTag', 'idTokenType', 'label', 'maxActiveTransactions', 'parentIdTag', 'status']);
    assert.deepEqual(body, { idTag: 'CARD-1', status: 'Blocked', expiryDate: null, parentIdTag: 'FLEET', maxActiveTransactions: 2, label: null, idTokenType: null });
  });

  it('PRODUCT.md errors: GET returns the tag; GET of an unknown tag is 404 with the error shape', async () => {
    assert.equal((await (await h.api('/api/v1/id-tags/CARD-1')).json()).status, 'Blocked');
    const r = await h.api('/api/v1/id-tags/NOPE');
    assert.equal(r.status, 404);
    assert.deepEqual(await r.json(), { error: { code: 'not_found', message: "ID tag 'NOPE' not found" } });
  });

  it('PRODUCT.md lists: the list passes limit, cursor and the status filter through and returns {items, nextCursor}', async () => {
    await put(h, 'CARD-2', { status: 'Accepted' });
    await put(h, 'CARD-3', { status: 'Accepted' });
    const first = await (await h.api('/api/v1/id-tags?status=Accepted&limit=1')).json();
    assert.deepEqual(first.items.map((t: any) => t.idTag), ['CARD-2']);
    assert.equal(first.nextCursor, '1');
    const second = await (await h.api(`/api/v1/id-tags?status=Accepted&limit=1&cursor=${first.nextCursor}`)).json();
    assert.deepEqual(second, { items: [{ idTag: 'CARD-3', status: 'Accepted', expiryDate: null, parentIdTag: null, maxActiveTransactions: null, label: null, idTokenType: null }], nextCursor: null });
    assert.deepEqual(h.deps.calls.filter((c) => c[0] === 'idTags.list').at(-1), ['idTags.list', { limit: 1, cursor: '1', status: 'Accepted' }]);
    const all = await (await h.api('/api/v1/id-tags')).json();
    assert.equal(all.items.length, 3, 'limit defaults to 100');
  });

  it('PRODUCT.md errors: an unknown status names the field and the allowed values', async () => {
    assert.equal(
      await validationMessage(await put(h, 'CARD-9', { status: 'Maybe' })),
      'body/status must be equal to one of the allowed values: Accepted, Blocked, Expired, Invalid',
    );
  });

  it('PRODUCT.md errors: a missing status, a bad expiryDate, maxActiveTransactions below 1 each name their field', async () => {
    assert.equal(await validationMessage(await put(h, 'CARD-9', {})), 'body/status is required');
    assert.match(await validationMessage(await put(h, 'CARD-9', { status: 'Accepted', expiryDate: 'tomorrow' })), /^body\/expiryDate must match format "date-time"/);
    assert.equal(await validationMessage(await put(h, 'CARD-9', { status: 'Accepted', maxActiveTransactions: 0 })), 'body/maxActiveTransactions must be >= 1');
    assert.match(await validationMessage(await put(h, 'CARD-9', { status: 'Accepted', maxActiveTransactions: 1.5 })), /^body\/maxActiveTransactions must be integer/);
    assert.match(await validationMessage(await put(h, 'CARD-9', { status: 'Accepted', parentIdTag: 'P'.repeat(37) })), /^body\/parentIdTag must NOT have more than 36 characters/);
    assert.equal(await h.deps.idTags.get('CARD-9'), null, 'nothing was stored');
  });

  it('OCPP 2.0.1 IdToken is at most 36 characters (1.6: 20, and longer tokens stay out of 1.6 local lists): a 37-character idTag in the path is 400 naming params/idTag', async () => {
    assert.match(await validationMessage(await put(h, 'X'.repeat(37), { status: 'Accepted' })), /^params\/idTag must NOT have more than 36 characters/);
    assert.equal((await put(h, 'Y'.repeat(20), { status: 'Accepted' })).status, 201);
  });

  it('PRODUCT.md lists: limit outside 1–1000 and an unknown status filter are 400 naming the query field', async () => {
    assert.equal(await validationMessage(await h.api('/api/v1/id-tags?limit=1001')), 'querystring/limit must be <= 1000');
    assert.match(await validationMessage(await h.api('/api/v1/id-tags?status=Nope')), /^querystring\/status must be equal to one of the allowed values/);
  });

  it('PRODUCT.md whitelist: DELETE removes the tag (204), then 404', async () => {
    const r = await h.api('/api/v1/id-tags/CARD-1', { method: 'DELETE' });
    assert.equal(r.status, 204);
    assert.equal(await r.text(), '');
    const again = await h.api('/api/v1/id-tags/CARD-1', { method: 'DELETE' });
    assert.equal(again.status, 404);
    assert.equal((await again.json()).error.code, 'not_found');
  });
});
