// CSV writing for exports: RFC 4180 quoting, spreadsheet formula neutralising, and a streamed body
// that pulls rows only as fast as the client reads them (constant memory for any number of rows).
import { Readable } from 'node:stream';

export type CsvValue = string | number | boolean | null | undefined;

const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;
// Cells a spreadsheet would run as a formula (OWASP "CSV injection"); tab and CR start formulas too in some.
// Apostrophes already in front are counted in, so the guard can be undone exactly (unguardCell) on import.
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The inverse of csvCell's formula guard: a re-imported export reads back exactly what was exported. */
export function unguardCell(text: string): string {
  return text.charCodeAt(0) === 0x27 && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

/** One record, CRLF-terminated as RFC 4180 §2.1 says. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

const CHUNK_CHARS = 64 * 1024;

/**
 * A byte stream of the header and one line per row. Lines are gathered into ~64 KB chunks so a million
 * rows are not a million writes; the stream asks for the next chunk only when the socket has drained,
 * and destroying it (client gone) returns the row iterator so its database cursor closes.
 */
export function csvStream<T>(header: readonly string[], rows: AsyncIterable<T>, toCells: (row: T) => readonly CsvValue[]): Readable {
  async function* chunks() {
    let chunk = csvLine(header);
    for await (const row of rows) {
      chunk += csvLine(toCells(row));
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  return Readable.from(chunks(), { objectMode: false });
}
