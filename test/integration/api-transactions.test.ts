// Sessions over HTTP (PRODUCT.md: GET /api/v1/transactions, /{id}, /export.csv).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import type { TransactionRecord } from '../../src/domain/ports.js';
import { FAKE_API_KEY, startApi, transaction, type ApiHarness } from '../support/api-fakes.js';

const HEADER = 'id,chargePointId,connectorId,evseId,chargerTransactionId,idTag,idTokenType,startedAt,stoppedAt,meterStartWh,meterStopWh,energyWh,stopReason,status,durationS,averagePowerW';

describe('REST API: transactions', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApi();
    h.deps.transactionRows = [
      { ...transaction(1), meterValues: [
        { timestamp: '2026-01-02T03:05:00.000Z', measurand: 'Energy.Active.Import.Register', value: '1500', unit: 'Wh', phase: null, context: 'Sample.Periodic', location: 'Outlet' },
      ], transactionData: null },
      { ...transaction(2, { status: 'Completed', stoppedAt: '2026-01-02T04:00:00.000Z', meterStopWh: 3000, energyWh: 2000, stopReason: 'Local', flags: ['tag-not-accepted'] }), meterValues: [], transactionData: null },
    ];
  });
  after(() => h.close());

  it('PRODUCT.md: the list passes chargePointId, idTag, from, to (as UTC) and active through, with limit and cursor', async () => {
    const r = await h.api('/api/v1/transactions?chargePointId=RDAM%20123&idTag=TAG1&from=2026-01-01T01:00:00%2B01:00&to=2026-02-01T00:00:00Z&active=false&limit=1&cursor=0');
    assert.equal(r.status, 200);
    assert.deepEqual(h.deps.calls.at(-1), [
      'transactions.list',
      { chargePointId: 'RDAM 123', idTag: 'TAG1', from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z', active: false },
      { limit: 1, cursor: '0' },
    ]);
    const page = await r.json();
    assert.equal(page.nextCursor, '1');
    assert.deepEqual(Object.keys(page.items[0]).sort(), ['averagePowerW', 'chargePointId', 'chargerTransactionId', 'connectorId', 'durationS', 'energyWh', 'evseId', 'flags', 'id', 'idTag', 'idTokenType', 'meterStartWh', 'meterStopWh', 'startedAt', 'status', 'stopReason', 'stoppedAt']);
  });

  it('PRODUCT.md lists: no filters given means none passed; limit defaults to 100 and nextCursor is null at the end', async () => {
    const page = await (await h.api('/api/v1/transactions')).json();
    assert.deepEqual(h.deps.calls.at(-1), ['transactions.list', {}, { limit: 100, cursor: null }]);
    assert.equal(page.items.length, 2);
    assert.equal(page.nextCursor, null);
  });

  it('PRODUCT.md errors: a filter that is not a date-time or boolean is 400 naming it', async () => {
    const from = await h.api('/api/v1/transactions?from=yesterday');
    assert.equal(from.status, 400);
    assert.match((await from.json()).error.message, /^querystring\/from must match format "date-time"/);
    const active = await h.api('/api/v1/transactions?active=maybe');
    assert.equal(active.status, 400);
    assert.match((await active.json()).error.message, /^querystring\/active must be boolean/);
  });

  it('PRODUCT.md: GET /transactions/{id} has the session with meterValues [{timestamp, measurand, value, unit, phase, context}]', async () => {
    const r = await h.api('/api/v1/transactions/1');
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.equal(body.id, 1);
    assert.deepEqual(body.meterValues, [
      { timestamp: '2026-01-02T03:05:00.000Z', measurand: 'Energy.Active.Import.Register', value: '1500', unit: 'Wh', phase: null, context: 'Sample.Periodic', location: 'Outlet', normalizedValue: 1500, normalizedUnit: 'Wh' },
    ]);
    assert.ok(!('transactionData' in body) && !('stopIdTag' in body), 'undeclared fields are stripped by the response schema');
  });

  it('PRODUCT.md: an unknown transaction id is 404; a non-integer id is 400 naming params/id', async () => {
    const missing = await h.api('/api/v1/transactions/999');
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: { code: 'not_found', message: 'Transaction 999 not found' } });
    const bad = await h.api('/api/v1/transactions/abc');
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.message, 'params/id must be integer');
  });

  it('PRODUCT.md export: export.csv is text/csv with a header row naming the list fields, filters passed through', async () => {
    const r = await h.api('/api/v1/transactions/export.csv?chargePointId=CP-1&active=true');
    assert.equal(r.status, 200, 'export.csv is its own route, not /transactions/{id}');
    assert.match(r.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await r.text()).split('\r\n');
    assert.equal(lines[0], HEADER);
    assert.equal(lines[1], '1,CP-1,1,,1,TAG1,,2026-01-02T03:04:05.000Z,,1000,,,,Active,,');
    assert.equal(lines[2], '2,CP-1,1,,2,TAG1,,2026-01-02T03:04:05.000Z,2026-01-02T04:00:00.000Z,1000,3000,2000,Local,Completed,3355,2146');
    assert.equal(lines[3], '', 'every record ends with CRLF (RFC 4180 §2.1)');
    assert.deepEqual(h.deps.calls.at(-1), ['transactions.iterate', { chargePointId: 'CP-1', active: true }]);
  });

  it('RFC 4180 §2.6–2.7 and OWASP CSV injection: commas and quotes are quoted, formula cells get a leading quote, plain numbers do not', async () => {
    const tricky = (id: number, more: Partial<TransactionRecord>) => ({ ...transaction(id, more), meterValues: [], transactionData: null });
    const saved = h.deps.transactionRows;
    h.deps.transactionRows = [
      tricky(10, { stopReason: 'Other, "see notes"', idTag: '=HYPERLINK("x")' }),
      tricky(11, { chargePointId: '@SUM(A1)', stopReason: '+1-555', idTag: '-5', energyWh: -5, meterStopWh: 995 }),
      tricky(12, { stopReason: 'line\nbreak' }),
    ];
    try {
      const lines = (await (await h.api('/api/v1/transactions/export.csv')).text()).split('\r\n');
      assert.equal(lines[1], '10,CP-1,1,,10,"\'=HYPERLINK(""x"")",,2026-01-02T03:04:05.000Z,,1000,,,"Other, ""see notes""",Active,,');
      assert.equal(lines[2], "11,'@SUM(A1),1,,11,-5,,2026-01-02T03:04:05.000Z,,1000,995,-5,'+1-555,Active,,");
      assert.equal(lines[3], '12,CP-1,1,,12,TAG1,,2026-01-02T03:04:05.000Z,,1000,,,"line\nbreak",Active,,');
    } finally {
      h.deps.transactionRows = saved;
    }
  });

  it('PRODUCT.md errors: a storage failure before the first row is a JSON 500, not a truncated CSV', async () => {
    h.deps.iterateError = new Error('storage down');
    try {
      const r = await h.api('/api/v1/transactions/export.csv');
      assert.equal(r.status, 500);
      assert.deepEqual(await r.json(), { error: { code: 'internal_error', message: 'Internal server error' } });
    } finally {
      h.deps.iterateError = null;
    }
  });

  it('PRODUCT.md export, a million rows in constant memory: rows are pulled as the client reads, other requests are served meanwhile, an abort stops the source', async () => {
    const total = 1_000_000;
    let produced = 0;
    let closed = false;
    const original = h.deps.transactions.iterate;
    h.deps.transactions.iterate = () =>
      (async function* () {
        try {
          for (let id = 1; id <= total; id++) {
            produced++;
            yield transaction(id, { stopReason: 'Local' });
          }
        } finally {
          closed = true;
        }
      })();
    // node:http rather than fetch: a destroyed request closes its socket and leaves no spare connection behind.
    const request = get(`${h.baseUrl}/api/v1/transactions/export.csv`, { agent: false, headers: { authorization: `Bearer ${FAKE_API_KEY}` } });
    try {
      const response = await new Promise<IncomingMessage>((resolve, reject) => request.once('response', resolve).once('error', reject));
      assert.equal(response.statusCode, 200);
      const first: Buffer = await new Promise((resolve) => response.once('data', resolve));
      assert.ok(first.toString('utf8').startsWith(`${HEADER}\r\n`));
      response.pause();
      // The event loop is free: a probe answers while the export is open.
      assert.equal((await fetch(`${h.baseUrl}/healthz`)).status, 200);
      assert.ok(produced < total / 10, `only what the socket buffers was read (${produced} rows)`);
      request.destroy();
      for (let i = 0; i < 50 && !closed; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(closed, 'the row source was closed when the client went away');
      assert.ok(produced < total / 10, `stopped early (${produced} rows)`);
    } finally {
      request.destroy();
      h.deps.transactions.iterate = original;
    }
  });
});
