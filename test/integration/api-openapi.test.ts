// ARCHITECTURE.md habit 13: a route's schema is its only contract, and the OpenAPI document is generated from it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, type ApiHarness } from '../support/api-fakes.js';

const OPENAPI_30_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

/** Every `type` in the document is one OpenAPI 3.0 type: 3.0 has no type arrays and no 'null' (it uses nullable). */
function badTypes(node: unknown, path = '#'): string[] {
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key === 'securitySchemes') return [];
    const here = `${path}/${key}`;
    // A property named `type` (a security event's) is a field of the payload, not the schema's type keyword.
    const bad = key === 'type' && !path.endsWith('/properties') && !(typeof value === 'string' && OPENAPI_30_TYPES.has(value));
    return [...(bad ? [here] : []), ...badTypes(value, here)];
  });
}

describe('OpenAPI document at /api/openapi.json', () => {
  let h: ApiHarness;
  let doc: any;
  before(async () => {
    h = await startApi();
    const r = await fetch(`${h.baseUrl}/api/openapi.json`);
    assert.equal(r.status, 200, 'the document is public, like the docs page that reads it');
    doc = await r.json();
  });
  after(() => h.close());

  it('PRODUCT.md: is an OpenAPI 3 document with info and a bearer security scheme', () => {
    assert.match(doc.openapi, /^3\.\d+\.\d+$/);
    assert.equal(typeof doc.info.title, 'string');
    assert.equal(typeof doc.info.version, 'string');
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', description: 'The operator key' });
    assert.deepEqual(badTypes(doc), [], 'schemas use only OpenAPI 3.0 types (nullable, not type arrays)');
  });

  it('PRODUCT.md route table: lists every milestone route, each with tags, summary and responses', () => {
    const expected: Record<string, string[]> = {
      '/api/v1/charge-points': ['get'],
      '/api/v1/charge-points/{id}': ['get', 'put', 'delete'],
      '/api/v1/charge-points/{id}/local-list': ['post'],
      '/api/v1/charge-points/{id}/local-list/version': ['get'],
      '/api/v1/charge-points/{id}/clear-cache': ['post'],
      '/api/v1/charge-points/{id}/remote-start': ['post'],
      '/api/v1/charge-points/{id}/remote-stop': ['post'],
      '/api/v1/charge-points/{id}/security-events': ['get'],
      '/api/v1/charge-points/{id}/password': ['post'],
      '/api/v1/charge-points/{id}/certificates': ['get'],
      '/api/v1/charge-points/{id}/security-profile': ['post'],
      '/api/v1/charge-points/{id}/ocpp/{action}': ['post'],
      '/api/v1/charge-points/{id}/commands': ['get'],
      '/api/v1/charge-points/{id}/messages': ['get'],
      '/api/v1/statistics': ['get'],
      '/api/v1/start-requests/{startRequestId}': ['get'],
      '/api/v1/authorizations': ['get'],
      '/api/v1/id-tags': ['get'],
      '/api/v1/id-tags/{idTag}': ['get', 'put', 'delete'],
      '/api/v1/id-tags/import': ['post'],
      '/api/v1/id-tags/export.csv': ['get'],
      '/api/v1/transactions': ['get'],
      '/api/v1/transactions/{id}': ['get'],
      '/api/v1/transactions/export.csv': ['get'],
      '/api/v1/webhooks': ['get', 'post'],
      '/api/v1/webhooks/{id}': ['get', 'delete'],
      '/api/v1/webhooks/{id}/enable': ['post'],
      '/api/v1/webhooks/{id}/deliveries': ['get'],
      '/api/v1/events': ['get'],
      '/api/v1/charge-points/{id}/connections': ['get'],
      '/healthz': ['get'],
      '/readyz': ['get'],
    };
    assert.deepEqual(Object.keys(doc.paths).sort(), Object.keys(expected).sort());
    for (const [path, methods] of Object.entries(expected)) {
      assert.deepEqual(Object.keys(doc.paths[path]).sort(), [...methods].sort(), path);
      for (const method of methods) {
        const op = doc.paths[path][method];
        assert.ok(op.tags?.length && op.summary, `${method} ${path} has tags and a summary`);
        assert.ok(Object.keys(op.responses).length > 0, `${method} ${path} has responses`);
        if (path.startsWith('/api/v1')) {
          assert.deepEqual(op.security, [{ bearerAuth: [] }], `${method} ${path} needs the key`);
          assert.ok(op.responses['401'], `${method} ${path} documents 401`);
        }
      }
    }
  });

  it('PRODUCT.md: errors are documented with the {"error": {code, message}} shape', () => {
    const schema = doc.paths['/api/v1/id-tags/{idTag}'].get.responses['404'].content['application/json'].schema;
    assert.deepEqual(schema.required, ['error']);
    assert.deepEqual(schema.properties.error.required, ['code', 'message']);
  });

  it('PRODUCT.md fields: the charger, ID tag and transaction schemas carry the published fields', () => {
    const cp = doc.paths['/api/v1/charge-points/{id}'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(cp.properties), ['id', 'connected', 'protocol', 'soapEndpoint', 'vendor', 'model', 'serialNumber', 'firmwareVersion', 'registrationStatus', 'securityProfile', 'pendingSecurityProfile', 'passwordChangePending', 'lastSeenAt', 'connectors']);
    assert.deepEqual(Object.keys(cp.properties.connectors.items.properties), ['evseId', 'connectorId', 'status', 'errorCode', 'updatedAt']);
    const tag = doc.paths['/api/v1/id-tags/{idTag}'].put;
    assert.deepEqual(tag.requestBody.content['application/json'].schema.properties.status.enum, ['Accepted', 'Blocked', 'Expired', 'Invalid']);
    assert.ok(tag.responses['200'] && tag.responses['201']);
    const tx = doc.paths['/api/v1/transactions/{id}'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(tx.properties.meterValues.items.properties), ['timestamp', 'measurand', 'value', 'unit', 'phase', 'context', 'location', 'normalizedValue', 'normalizedUnit']);
    const list = doc.paths['/api/v1/transactions'].get;
    const query = list.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name);
    assert.deepEqual(query.sort(), ['active', 'chargePointId', 'cursor', 'from', 'idTag', 'limit', 'to']);
    const page = list.responses['200'].content['application/json'].schema;
    assert.deepEqual(page.required, ['items', 'nextCursor']);
    assert.ok(doc.paths['/api/v1/transactions/export.csv'].get.responses['200'].content['text/csv']);
  });

  it('ARCHITECTURE.md habit 13: path parameters come from the route schema', () => {
    const params = doc.paths['/api/v1/transactions/{id}'].get.parameters;
    assert.deepEqual(params.map((p: any) => [p.in, p.name, p.required, p.schema.type]), [['path', 'id', true, 'integer']]);
  });
});
