// The whitelist as CSV (PRODUCT.md `POST /api/v1/id-tags/import`, the export, the list filters and the
// `voltgate id-tags` CLI), against the real server and storage: SQLite, or PostgreSQL with DATABASE_URL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';
import { bootPayload, startTestServer, TEST_API_KEY, type TestServer } from '../support/server.js';

const ROOT = resolve(import.meta.dirname, '../..');
const HEADER = 'idTag,status,expiryDate,parentIdTag,label';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `voltgate …` as a child process, as an operator runs it. */
function voltgate(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const childEnv = { ...process.env, VOLTGATE_API_KEY: undefined, VOLTGATE_DATA_DIR: undefined, ...env };
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/voltgate.ts', ...args], { cwd: ROOT, env: childEnv }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('ID tags as CSV: import, export, list filters, CLI', () => {
  let t: TestServer;
  let cp: RpcConnection;
  let dir: string;

  const importCsv = (body: string, contentType = 'text/csv') =>
    t.api('/api/v1/id-tags/import', { method: 'POST', headers: { 'content-type': contentType }, body });
  const authorize = async (idTag: string) => ((await cp.call('Authorize', { idTag })) as { idTagInfo: Record<string, unknown> }).idTagInfo;
  const getTag = async (idTag: string) => {
    const r = await t.api(`/api/v1/id-tags/${encodeURIComponent(idTag)}`);
    return r.status === 404 ? null : r.json();
  };
  const list = async (query: string) => (await (await t.api(`/api/v1/id-tags?${query}`)).json()) as { items: Array<{ idTag: string }>; nextCursor: string | null };

  before(async () => {
    t = await startTestServer();
    cp = await t.charger('CP-IMPORT');
    await cp.call('BootNotification', bootPayload);
    dir = mkdtempSync(join(tmpdir(), 'voltgate-id-tags-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('PRODUCT.md import / CONFORMANCE 36–37: creates and updates tags, and the next Authorize answers from the imported data', async () => {
    const put = await t.api('/api/v1/id-tags/CARD-OLD', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Blocked' }) });
    assert.equal(put.status, 201);
    assert.equal((await authorize('CARD-OLD')).status, 'Blocked');

    const r = await importCsv(
      [
        HEADER,
        'CARD-OLD,Accepted,,,Was blocked',
        'CARD-NEW,Accepted,2099-06-01T12:00:00+02:00,CARD-FLEET,Van 7',
        'CARD-FLEET,Accepted,,,',
        'CARD-STOLEN,Blocked,,,',
        'CARD-LAPSED,Expired,,,',
      ].join('\n'),
    );
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { imported: 5, created: 4, updated: 1 });

    // Straight after the answer, no reload: the in-memory decision table was updated after the commit.
    assert.deepEqual(await authorize('CARD-OLD'), { status: 'Accepted' });
    assert.deepEqual(await authorize('CARD-NEW'), { status: 'Accepted', expiryDate: '2099-06-01T10:00:00.000Z', parentIdTag: 'CARD-FLEET' });
    assert.equal((await authorize('CARD-STOLEN')).status, 'Blocked', 'CONFORMANCE 37: a stored Blocked is answered Blocked');
    assert.equal((await authorize('CARD-LAPSED')).status, 'Expired');
    assert.equal((await authorize('card-new')).status, 'Accepted', 'CONFORMANCE 38: case-insensitive');
    assert.deepEqual(await getTag('CARD-NEW'), {
      idTag: 'CARD-NEW', status: 'Accepted', expiryDate: '2099-06-01T10:00:00.000Z', parentIdTag: 'CARD-FLEET', maxActiveTransactions: null, label: 'Van 7', idTokenType: null,
    });
  });

  it('all or nothing: a file with invalid lines imports nothing, and the answer names every line and field', async () => {
    const r = await importCsv(
      [
        HEADER,
        'ATOMIC-1,Accepted,,,',
        'ATOMIC-2,Accepted,,,',
        'ATOMIC-3,Maybe,,,',
        'CARD-OLD,Blocked,,,',
        'ATOMIC-5,Accepted,next week,,',
        `ATOMIC-6,Accepted,,,${'L'.repeat(201)}`,
      ].join('\r\n'),
    );
    assert.equal(r.status, 400);
    const body = await r.json();
    assert.equal(body.error.code, 'invalid_csv');
    assert.match(body.error.message, /^3 lines are invalid: line 4: status must be one of Accepted, Blocked, Expired, Invalid, got "Maybe"; line 6: expiryDate/);
    assert.deepEqual(body.error.details.map((d: { line: number; field: string }) => [d.line, d.field]), [[4, 'status'], [6, 'expiryDate'], [7, 'label']]);
    assert.equal(await getTag('ATOMIC-1'), null, 'the valid lines were not written either');
    assert.equal((await authorize('ATOMIC-1')).status, 'Invalid', 'nor put in memory');
    assert.equal((await authorize('CARD-OLD')).status, 'Accepted', 'an existing tag on a valid line is unchanged');
  });

  it('CONFORMANCE 38: an idTag twice in one file, compared case-insensitively, is refused naming both lines', async () => {
    const r = await importCsv(`${HEADER}\nDUP-a,Accepted,,,\nOTHER-1,Accepted,,,\ndup-A,Blocked,,,\n`);
    assert.equal(r.status, 400);
    const { error } = await r.json();
    assert.deepEqual(error.details, [{ line: 4, field: 'idTag', message: 'idTag "dup-A" is also on line 2 (idTags are case-insensitive)' }]);
    assert.equal(await getTag('OTHER-1'), null);
  });

  it('a header naming an unknown column is refused on line 1; a JSON body is not CSV', async () => {
    const r = await importCsv('idTag,status,colour\nX,Accepted,red\n');
    assert.equal(r.status, 400);
    const { error } = await r.json();
    assert.deepEqual(error.details.map((d: { line: number; field: string }) => [d.line, d.field]), [[1, 'colour']]);
    const json = await importCsv(JSON.stringify({ idTag: 'X' }), 'application/json');
    assert.equal(json.status, 400);
    assert.deepEqual(Object.keys((await json.json()).error).sort(), ['code', 'message']);
  });

  it('RFC 4180: quoted fields with commas, doubled quotes and line breaks; a UTF-8 BOM and CRLF line ends', async () => {
    const r = await importCsv(`\uFEFFidTag,label,status\r\nQUOTED-1,"Smith, John ""JJ""",Accepted\r\n"QUOTED-2","two\r\nlines",Blocked\r\n`);
    assert.equal(r.status, 200, await r.clone().text());
    assert.deepEqual(await r.json(), { imported: 2, created: 2, updated: 0 });
    assert.equal((await getTag('QUOTED-1')).label, 'Smith, John "JJ"');
    assert.equal((await getTag('QUOTED-2')).label, 'two\r\nlines');
    assert.equal((await authorize('QUOTED-2')).status, 'Blocked');
  });

  it('a column the header leaves out keeps the stored value; an empty cell clears it; maxActiveTransactions imports', async () => {
    await t.api('/api/v1/id-tags/KEEP-1', {
      method: 'PUT', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'Accepted', label: 'Keep me', maxActiveTransactions: 2, parentIdTag: 'CARD-FLEET' }),
    });
    assert.equal((await importCsv('idTag,status\nKEEP-1,Blocked\nKEEP-NEW,Accepted\n')).status, 200);
    assert.deepEqual(await getTag('KEEP-1'), { idTag: 'KEEP-1', status: 'Blocked', expiryDate: null, parentIdTag: 'CARD-FLEET', maxActiveTransactions: 2, label: 'Keep me', idTokenType: null });
    assert.deepEqual(await authorize('KEEP-1'), { status: 'Blocked', parentIdTag: 'CARD-FLEET' }, 'memory kept the parent too');
    assert.equal((await getTag('KEEP-NEW')).label, null);

    assert.equal((await importCsv('idTag,status,maxActiveTransactions,label\nKEEP-1,Accepted,5,\n')).status, 200);
    assert.deepEqual(await getTag('KEEP-1'), { idTag: 'KEEP-1', status: 'Accepted', expiryDate: null, parentIdTag: 'CARD-FLEET', maxActiveTransactions: 5, label: null, idTokenType: null });
  });

  it('10,000 tags import in one request and one transaction (multi-row upserts), and again as updates', async (ctx) => {
    const lines = [HEADER];
    for (let i = 0; i < 10_000; i++) {
      lines.push(`BULK-${String(i).padStart(5, '0')},${i % 10 === 0 ? 'Blocked' : 'Accepted'},2099-01-01T00:00:00Z,CARD-FLEET,"Holder ${i}, fleet"`);
    }
    const csv = `${lines.join('\r\n')}\r\n`;
    let started = performance.now();
    const r = await importCsv(csv);
    const createMs = performance.now() - started;
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { imported: 10_000, created: 10_000, updated: 0 });
    started = performance.now();
    const again = await importCsv(csv);
    const updateMs = performance.now() - started;
    assert.deepEqual(await again.json(), { imported: 10_000, created: 0, updated: 10_000 });
    ctx.diagnostic(`10,000 tags (${Math.round(csv.length / 1024)} KB) on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}: created in ${Math.round(createMs)} ms, updated in ${Math.round(updateMs)} ms`);

    assert.equal((await authorize('bulk-09990')).status, 'Blocked');
    assert.deepEqual(await authorize('BULK-09999'), { status: 'Accepted', expiryDate: '2099-01-01T00:00:00.000Z', parentIdTag: 'CARD-FLEET' });
    assert.equal((await getTag('BULK-04242')).label, 'Holder 4242, fleet');
  });

  it('the export streams every tag with the documented header, and imports back unchanged (formula guard included)', async () => {
    const tricky = 'idTag,status,label\n-MINUS,Accepted,=HYPERLINK("x")\n';
    assert.equal((await importCsv(tricky)).status, 200);
    // A stored value that itself starts with an apostrophe and a formula character survives the guard too.
    await t.api('/api/v1/id-tags/@AT', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Accepted', label: "'+already" }) });

    const r = await t.api('/api/v1/id-tags/export.csv');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(r.headers.get('content-disposition') ?? '', /id-tags\.csv/);
    const exported = await r.text();
    assert.ok(exported.startsWith('idTag,status,expiryDate,parentIdTag,maxActiveTransactions,label,idTokenType\r\n'));
    assert.ok(exported.includes('\r\n\'-MINUS,Accepted,,,,"\'=HYPERLINK(""x"")",\r\n'), 'formulas are neutralised (OWASP CSV injection)');

    let count = 0;
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page = await list(`limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      count += page.items.length;
      cursor = page.nextCursor;
    }
    assert.ok(count > 10_000, 'the export spans many storage pages');

    const back = await importCsv(exported);
    assert.equal(back.status, 200);
    assert.deepEqual(await back.json(), { imported: count, created: 0, updated: count });
    assert.equal((await getTag('-MINUS')).label, '=HYPERLINK("x")');
    assert.equal((await getTag('@AT')).label, "'+already");
    assert.equal((await getTag('QUOTED-2')).label, 'two\r\nlines');
    assert.equal(await (await t.api('/api/v1/id-tags/export.csv')).text(), exported, 'export → import → export is the same file');

    const filtered = await (await t.api('/api/v1/id-tags/export.csv?q=card-&status=Accepted')).text();
    assert.deepEqual(filtered.trim().split('\r\n').slice(1).map((l) => l.split(',')[0]), ['CARD-FLEET', 'CARD-NEW', 'CARD-OLD']);
  });

  it('GET /id-tags filters: q is a case-insensitive idTag prefix, parentIdTag is exact and case-insensitive; cursors still page', async () => {
    const r = await importCsv('idTag,status,parentIdTag\nFLT-1,Accepted,Group-A\nflt-2,Blocked,GROUP-A\nFLT-3,Accepted,GROUP-AB\nFLTX,Accepted,\nPCT_1,Accepted,\nPCTX1,Accepted,\n');
    assert.equal(r.status, 200);
    const ids = (page: { items: Array<{ idTag: string }> }) => page.items.map((tag) => tag.idTag);

    assert.deepEqual(ids(await list('q=flt-')), ['FLT-1', 'flt-2', 'FLT-3']);
    assert.deepEqual(ids(await list('q=PCT_')), ['PCT_1'], 'an underscore is a character, not a wildcard');
    assert.deepEqual(ids(await list('parentIdTag=group-a')), ['FLT-1', 'flt-2']);
    assert.deepEqual(ids(await list('parentIdTag=GROUP-A&status=Accepted')), ['FLT-1']);
    assert.deepEqual(ids(await list('q=FLT&parentIdTag=nobody')), []);

    const first = await list('q=FLT&limit=2');
    assert.deepEqual(ids(first), ['FLT-1', 'flt-2']);
    assert.ok(first.nextCursor);
    const second = await list(`q=FLT&limit=2&cursor=${first.nextCursor}`);
    assert.deepEqual(ids(second), ['FLT-3', 'FLTX']);
    assert.equal(second.nextCursor, null);

    const bad = await t.api(`/api/v1/id-tags?q=${'Q'.repeat(37)}`);
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /querystring\/q/);
  });

  it('ARCHITECTURE.md habit 13: the OpenAPI document carries the CSV body, the invalid_csv details, the export and the filters', async () => {
    const doc = await (await fetch(`${t.httpUrl}/api/openapi.json`)).json();
    const importOp = doc.paths['/api/v1/id-tags/import'].post;
    assert.deepEqual(importOp.requestBody.content['text/csv'].schema.type, 'string');
    const invalid = importOp.responses['400'].content['application/json'].schema;
    assert.deepEqual(invalid.properties.error.required, ['code', 'message']);
    assert.deepEqual(invalid.properties.error.properties.details.items.required, ['line', 'message']);
    assert.deepEqual(importOp.responses['200'].content['application/json'].schema.required, ['imported', 'created', 'updated']);
    assert.ok(doc.paths['/api/v1/id-tags/export.csv'].get.responses['200'].content['text/csv']);
    const query = doc.paths['/api/v1/id-tags'].get.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name);
    assert.deepEqual(query.sort(), ['cursor', 'limit', 'parentIdTag', 'q', 'status']);
  });

  it('CLI: `voltgate id-tags import FILE` imports through the API (progress on stderr, exit 0), and Authorize sees it', async () => {
    const file = join(dir, 'good.csv');
    writeFileSync(file, `${HEADER}\nCLI-1,Accepted,,,From the CLI\nCLI-2,Blocked,,,\n`);
    // The key read from <data-dir>/operator-key, as on the server's own machine.
    writeFileSync(join(dir, 'operator-key'), `${TEST_API_KEY}\n`);
    const result = await voltgate(['id-tags', 'import', file, '--url', t.httpUrl, '--data-dir', dir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /validating 3 lines/);
    assert.match(result.stderr, /uploading 2 tags/);
    assert.match(result.stderr, /imported 2 tags: 2 created, 0 updated/);
    assert.equal((await authorize('CLI-1')).status, 'Accepted');
    assert.equal((await authorize('cli-2')).status, 'Blocked');
  });

  it('CLI: an invalid file exits 1, prints each error on its own line with its line number, and imports nothing', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, `${HEADER}\nCLI-OK,Accepted,,,\nCLI-BAD,Sometimes,,,\n,Accepted,,,\ncli-ok,Blocked,,,\n`);
    const result = await voltgate(['id-tags', 'import', file, '--url', t.httpUrl, '--api-key', TEST_API_KEY]);
    assert.equal(result.code, 1);
    const lines = result.stderr.split('\n');
    assert.ok(lines.includes('line 3: status must be one of Accepted, Blocked, Expired, Invalid, got "Sometimes"'), result.stderr);
    assert.ok(lines.includes('line 4: idTag is required'), result.stderr);
    assert.ok(lines.includes('line 5: idTag "cli-ok" is also on line 2 (idTags are case-insensitive)'), result.stderr);
    assert.match(result.stderr, /nothing was imported/);
    assert.equal(await getTag('CLI-OK'), null);
  });

  it('CLI: a wrong key or an unreachable server exits 1 with a message saying so', async () => {
    const file = join(dir, 'good.csv');
    const wrongKey = await voltgate(['id-tags', 'import', file, '--url', t.httpUrl, '--api-key', 'wrong']);
    assert.equal(wrongKey.code, 1);
    assert.match(wrongKey.stderr, /401 unauthorized.*wrong operator key/);
    const noServer = await voltgate(['id-tags', 'import', file, '--url', 'http://127.0.0.1:9', '--api-key', TEST_API_KEY]);
    assert.equal(noServer.code, 1);
    assert.match(noServer.stderr, /cannot reach the server at http:\/\/127\.0\.0\.1:9/);
  });

  it('CLI: `voltgate id-tags export FILE` writes the same CSV as the API, and --help documents each subcommand', async () => {
    const file = join(dir, 'export.csv');
    const result = await voltgate(['id-tags', 'export', file, '--url', t.httpUrl], { VOLTGATE_API_KEY: TEST_API_KEY });
    assert.equal(result.code, 0, result.stderr);
    const expected = await (await t.api('/api/v1/id-tags/export.csv')).text();
    assert.equal(readFileSync(file, 'utf8'), expected);
    const records = expected.trim().split('\r\n').length - 1 - 1; // minus the header, minus the label spanning two lines
    assert.match(result.stderr, new RegExp(`exported ${records} tags to `));

    const help = await voltgate(['id-tags', 'import', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--url <url>/);
    assert.match(help.stdout, /--api-key <key>/);
    assert.match(help.stdout, /All or nothing/);
    assert.match((await voltgate(['id-tags', 'export', '--help'])).stdout, /standard output/);
  });
});
