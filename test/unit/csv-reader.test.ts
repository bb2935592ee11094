// RFC 4180 reading for imports (src/api/csv-reader.ts), and the export's formula guard read back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readCsv } from '../../src/api/csv-reader.js';
import { csvCell, unguardCell } from '../../src/api/csv.js';

const fields = (text: string) => {
  const { records, error } = readCsv(text);
  assert.equal(error, null);
  return records.map((r) => r.fields);
};

describe('CSV reader (RFC 4180)', () => {
  it('RFC 4180 §2.1–2.2: records end with CRLF or LF; the last line break is optional and adds no record', () => {
    assert.deepEqual(fields('a,b\r\nc,d\r\n'), [['a', 'b'], ['c', 'd']]);
    assert.deepEqual(fields('a,b\nc,d'), [['a', 'b'], ['c', 'd']]);
    assert.deepEqual(fields('a,b\rc,d\r'), [['a', 'b'], ['c', 'd']], 'a lone CR (old Mac files) breaks a line too');
  });

  it('RFC 4180 §2.4: empty fields, including a trailing one, are kept', () => {
    assert.deepEqual(fields('a,,c,\n,,,\n'), [['a', '', 'c', ''], ['', '', '', '']]);
  });

  it('RFC 4180 §2.5–2.7: quoted fields hold commas, line breaks and doubled quotes', () => {
    assert.deepEqual(fields('"a,b","say ""hi""","two\r\nlines",""\n'), [['a,b', 'say "hi"', 'two\r\nlines', '']]);
  });

  it('a UTF-8 byte order mark at the start is not part of the first field', () => {
    assert.deepEqual(fields('\uFEFFidTag,status\r\nA,Accepted\r\n'), [['idTag', 'status'], ['A', 'Accepted']]);
  });

  it('line numbers are where each record starts, counting the lines inside quoted fields and blank lines', () => {
    const { records } = readCsv('h1,h2\n"x\ny",1\n\nlast,2\n');
    assert.deepEqual(records.map((r) => r.line), [1, 2, 5]);
    assert.deepEqual(records[1].fields, ['x\ny', '1']);
  });

  it('blank lines are skipped, but a line holding "" is a record', () => {
    assert.deepEqual(fields('a\n\n\r\nb\n""\n'), [['a'], ['b'], ['']]);
  });

  it('a quote inside an unquoted field is an ordinary character', () => {
    assert.deepEqual(fields('12" screen,b\n'), [['12" screen', 'b']]);
  });

  it('an unclosed quote is an error naming the line where it opened; records before it are returned', () => {
    const { records, error } = readCsv('h\nok\n"open\nstill open\n');
    assert.deepEqual(records.map((r) => r.fields), [['h'], ['ok']]);
    assert.equal(error?.line, 3);
    assert.match(error!.message, /never closed/);
  });

  it('text after a closing quote is an error naming its line', () => {
    const { error } = readCsv('a,b\n"x"y,z\n');
    assert.equal(error?.line, 2);
    assert.match(error!.message, /closing quote/);
  });

  it('an empty input has no records', () => {
    assert.deepEqual(readCsv(''), { records: [], error: null });
    assert.deepEqual(readCsv('\uFEFF'), { records: [], error: null });
  });

  it('reads ten thousand records quickly (one pass, slices)', () => {
    const text = `idTag,status\r\n${Array.from({ length: 10_000 }, (_, i) => `T${i},"Accepted"\r\n`).join('')}`;
    const started = performance.now();
    assert.equal(readCsv(text).records.length, 10_001);
    assert.ok(performance.now() - started < 1000);
  });
});

describe('the export formula guard (OWASP CSV injection) reads back exactly', () => {
  it('unguardCell undoes csvCell for every value, including ones that already start with an apostrophe', () => {
    for (const value of ['=SUM(A1)', '+1-2', '-ABC', '@x', "'=x", "''+y", "'plain", 'plain', '-5', '+3.5', '\tx', '']) {
      const cell = csvCell(value);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
      assert.equal(unguardCell(unquoted), value, `${JSON.stringify(value)} → ${cell}`);
    }
  });
});
