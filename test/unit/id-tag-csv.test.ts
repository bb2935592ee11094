// The ID tag import file's rules (src/api/id-tag-csv.ts): every line checked, every bad line named.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeCsvErrors, isoToUtc, readIdTagCsv, type CsvLineError } from '../../src/api/id-tag-csv.js';

const HEADER = 'idTag,status,expiryDate,parentIdTag,label';

function errorsOf(text: string): CsvLineError[] {
  const result = readIdTagCsv(text);
  assert.equal(result.ok, false, 'the file is refused');
  return result.ok ? [] : result.errors;
}

describe('ID tag import file', () => {
  it('PRODUCT.md import: reads the documented header; empty cells are null; times become UTC with milliseconds', () => {
    const result = readIdTagCsv(`${HEADER}\nCARD-1,Accepted,2030-06-01T12:00:00+02:00,FLEET,Van 7\nCARD-2,Blocked,,,\n`);
    assert.deepEqual(result, {
      ok: true,
      keep: ['maxActiveTransactions', 'idTokenType'],
      tags: [
        { idTag: 'CARD-1', status: 'Accepted', expiryDate: '2030-06-01T10:00:00.000Z', parentIdTag: 'FLEET', maxActiveTransactions: null, label: 'Van 7', idTokenType: null },
        { idTag: 'CARD-2', status: 'Blocked', expiryDate: null, parentIdTag: null, maxActiveTransactions: null, label: null, idTokenType: null },
      ],
    });
  });

  it('columns come in any order, named by the header (names case-insensitive); maxActiveTransactions is accepted', () => {
    const result = readIdTagCsv('Label,MAXACTIVETRANSACTIONS,status,idtag\nHi,3,Expired,x1\n');
    assert.ok(result.ok);
    assert.deepEqual(result.tags, [{ idTag: 'x1', status: 'Expired', expiryDate: null, parentIdTag: null, maxActiveTransactions: 3, label: 'Hi', idTokenType: null }]);
    assert.deepEqual(result.keep, ['expiryDate', 'parentIdTag', 'idTokenType'], 'columns left out are kept as stored');
  });

  it('a header naming an unknown column, naming one twice, or missing idTag or status is an error on line 1', () => {
    assert.deepEqual(errorsOf('idTag,status,colour\n').map((e) => [e.line, e.field]), [[1, 'colour']]);
    assert.match(errorsOf('idTag,status,colour\n')[0].message, /unknown column "colour"/);
    assert.deepEqual(errorsOf('idTag,status,idTag\n').map((e) => [e.line, e.field]), [[1, 'idTag']]);
    assert.deepEqual(errorsOf('label\n').map((e) => [e.line, e.field]), [[1, 'idTag'], [1, 'status']]);
    assert.match(errorsOf('')[0].message, /empty/);
  });

  it('a header alone imports nothing and is fine', () => {
    assert.deepEqual(readIdTagCsv(`${HEADER}\r\n`), { ok: true, tags: [], keep: ['maxActiveTransactions', 'idTokenType'] });
  });

  it('every invalid line is named with its field; the header is line 1', () => {
    const errors = errorsOf(
      [
        HEADER,
        'OK-1,Accepted,,,',
        ',Accepted,,,',
        'OK-2,Maybe,,,',
        'OK-3,Accepted,tomorrow,,',
        `OK-4,Accepted,,${'P'.repeat(37)},`,
        `OK-5,Accepted,,,${'L'.repeat(201)}`,
        'OK-6,,,,',
        `${'X'.repeat(37)},Accepted,,,`,
      ].join('\n'),
    );
    assert.deepEqual(errors.map((e) => [e.line, e.field]), [
      [3, 'idTag'], [4, 'status'], [5, 'expiryDate'], [6, 'parentIdTag'], [7, 'label'], [8, 'status'], [9, 'idTag'],
    ]);
    assert.equal(errors[1].message, 'status must be one of Accepted, Blocked, Expired, Invalid, got "Maybe"');
    assert.match(errors[6].message, /at most 36 characters \(an OCPP 2.x idToken\)/);
  });

  it('OCPP 2.0.1 idToken: a 36-character idTag is accepted, 37 is not (1.6 chargers get at most 20 in their local lists)', () => {
    assert.ok(readIdTagCsv(`idTag,status\n${'Y'.repeat(36)},Accepted\n`).ok);
    assert.equal(errorsOf(`idTag,status\n${'Y'.repeat(37)},Accepted\n`)[0].field, 'idTag');
  });

  it('CONFORMANCE 38: a duplicate idTag, compared case-insensitively, is an error naming both lines', () => {
    const errors = errorsOf('idTag,status\nabcd1234,Accepted\nOTHER,Accepted\nABCD1234,Blocked\n');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].line, 4);
    assert.equal(errors[0].field, 'idTag');
    assert.match(errors[0].message, /also on line 2/);
  });

  it('maxActiveTransactions is empty or a whole number ≥ 1', () => {
    for (const bad of ['0', '-1', '1.5', 'two', '99999999999']) {
      assert.equal(errorsOf(`idTag,status,maxActiveTransactions\nA,Accepted,${bad}\n`)[0].field, 'maxActiveTransactions', bad);
    }
  });

  it('a line with more or fewer fields than the header is an error naming the line', () => {
    const errors = errorsOf('idTag,status\nA,Accepted,extra\nB\n');
    assert.deepEqual(errors.map((e) => e.line), [2, 3]);
    assert.match(errors[0].message, /expected 2 fields as in the header, found 3/);
  });

  it('an unclosed quote is a syntax error naming its line', () => {
    assert.deepEqual(errorsOf('idTag,status\nA,Accepted\n"B,Accepted\n').map((e) => e.line), [3]);
  });

  it('the export formula guard is undone: a cell exported as \'-ABC reads back as -ABC', () => {
    const result = readIdTagCsv("idTag,status,label\n'-ABC,Accepted,'=1+1\n");
    assert.ok(result.ok);
    assert.equal(result.tags[0].idTag, '-ABC');
    assert.equal(result.tags[0].label, '=1+1');
  });

  it('the message counts invalid lines and lists the first errors', () => {
    const errors: CsvLineError[] = [
      { line: 4, field: 'status', message: 'status must be one of Accepted, Blocked, Expired, Invalid' },
      { line: 4, field: 'label', message: 'too long' },
      { line: 9, field: 'idTag', message: 'idTag is required' },
    ];
    assert.equal(
      describeCsvErrors(errors),
      '2 lines are invalid: line 4: status must be one of Accepted, Blocked, Expired, Invalid; line 4: too long; line 9: idTag is required',
    );
    assert.match(describeCsvErrors(errors.slice(2)), /^1 line is invalid: /);
    const many = Array.from({ length: 30 }, (_, i) => ({ line: i + 2, message: 'bad' }));
    assert.match(describeCsvErrors(many), /^30 lines are invalid: line 2: bad;.*line 21: bad; … and 10 more$/);
  });
});

describe('expiryDate: ISO-8601 with an offset', () => {
  it('normalises to UTC with milliseconds', () => {
    assert.equal(isoToUtc('2026-01-02T03:04:05Z'), '2026-01-02T03:04:05.000Z');
    assert.equal(isoToUtc('2026-01-02T03:04:05.1+01:00'), '2026-01-02T02:04:05.100Z');
    assert.equal(isoToUtc('2026-01-02t03:04:05.123456-0230'), '2026-01-02T05:34:05.123Z');
    assert.equal(isoToUtc('2026-01-02 03:04:05+05'), '2026-01-01T22:04:05.000Z');
    assert.equal(isoToUtc('0099-01-01T00:00:00Z'), '0099-01-01T00:00:00.000Z', 'years below 100 are not read as 19xx');
  });

  it('refuses a time without an offset, a date alone, a day that does not exist, and out-of-range parts', () => {
    for (const bad of ['2026-01-02T03:04:05', '2026-01-02', '2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z',
      '2026-01-01T24:00:00Z', '2026-01-01T00:60:00Z', '2026-01-01T00:00:00+24:00', 'tomorrow', '9999-12-31T23:59:59-12:00']) {
      assert.equal(isoToUtc(bad), null, bad);
    }
    assert.equal(isoToUtc('2024-02-29T00:00:00Z'), '2024-02-29T00:00:00.000Z', 'a leap day is a day');
  });
});
