// The ID tag import file (PRODUCT.md `POST /api/v1/id-tags/import`): a header naming the columns, then one
// tag a line. Every line is checked before anything is written, so one bad line imports nothing and every
// bad line is named at once. Pure: the route and the CLI (which checks before uploading) share it.
import type { IdTagInput, IdTagOptionalField, IdTagStatus } from '../domain/ports.js';
import { unguardCell } from './csv.js';
import { readCsv } from './csv-reader.js';
import { ID_TAG_CSV_COLUMNS, ID_TAG_MAX_LENGTH, ID_TAG_STATUSES, ID_TOKEN_TYPES, LABEL_MAX_LENGTH } from './schemas/id-tags.js';

type Column = (typeof ID_TAG_CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly Column[] = ['idTag', 'status'];
const OPTIONAL_COLUMNS: readonly IdTagOptionalField[] = ['expiryDate', 'parentIdTag', 'maxActiveTransactions', 'label', 'idTokenType'];
/** A PostgreSQL integer. */
const MAX_INT = 2_147_483_647;

export interface CsvLineError {
  /** The header is line 1. */
  line: number;
  field?: string;
  message: string;
}

export type IdTagCsv =
  | {
      ok: true;
      tags: IdTagInput[];
      /** Optional columns the header left out: existing tags keep those stored values. */
      keep: IdTagOptionalField[];
    }
  | { ok: false; errors: CsvLineError[] };

const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2})(?::?(\d{2}))?)$/;

/**
 * An ISO-8601 date-time with an offset (the API's `format: date-time`), as UTC with milliseconds;
 * null when it is not one or names a day that does not exist (V8 would roll 30 February into March).
 */
export function isoToUtc(text: string): string | null {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (daysInMonth === undefined || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return null;
  const offsetHours = m[9] === undefined ? 0 : Number(m[9]);
  const offsetMinutes = m[10] === undefined ? 0 : Number(m[10]);
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  const offsetMs = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const millis = m[7] ? Number(`${m[7].slice(1)}00`.slice(0, 3)) : 0;
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, millis);
  const iso = new Date(local.getTime() - offsetMs).toISOString();
  return /^\d{4}-/.test(iso) ? iso : null;
}

function checkIdTag(value: string, field: string): string | null {
  if ([...value].length > ID_TAG_MAX_LENGTH) return `${field} must be at most ${ID_TAG_MAX_LENGTH} characters (an OCPP 2.x idToken), got ${[...value].length}`;
  if (value.trim() !== value) return `${field} must not start or end with a space`;
  return null;
}

/** Reads and checks the whole file; `ok` only when every line is valid. */
export function readIdTagCsv(text: string): IdTagCsv {
  const { records, error } = readCsv(text);
  if (error) return { ok: false, errors: [{ line: error.line, message: error.message }] };
  const [header, ...rows] = records;
  if (!header) {
    return { ok: false, errors: [{ line: 1, message: `the file is empty: the first line must be a header naming the columns, e.g. ${ID_TAG_CSV_COLUMNS.join(',')}` }] };
  }

  const errors: CsvLineError[] = [];
  const columns: Column[] = [];
  for (const name of header.fields) {
    const column = ID_TAG_CSV_COLUMNS.find((c) => c.toLowerCase() === unguardCell(name).trim().toLowerCase());
    if (!column) errors.push({ line: header.line, field: name, message: `unknown column "${name}" (columns are ${ID_TAG_CSV_COLUMNS.join(', ')})` });
    else if (columns.includes(column)) errors.push({ line: header.line, field: column, message: `column ${column} appears twice` });
    else columns.push(column);
  }
  for (const column of REQUIRED_COLUMNS) {
    if (!columns.includes(column)) errors.push({ line: header.line, field: column, message: `the header must name the ${column} column` });
  }
  if (errors.length > 0) return { ok: false, errors };

  const tags: IdTagInput[] = [];
  const firstLineOf = new Map<string, number>();
  for (const row of rows) {
    if (row.fields.length !== header.fields.length) {
      errors.push({ line: row.line, message: `expected ${header.fields.length} fields as in the header, found ${row.fields.length}` });
      continue;
    }
    const cell = (column: Column): string | null => {
      const index = columns.indexOf(column);
      if (index === -1) return null;
      const value = unguardCell(row.fields[index]);
      return value === '' ? null : value;
    };
    const fail = (field: Column, message: string) => errors.push({ line: row.line, field, message });
    const before = errors.length;

    const idTag = cell('idTag');
    if (idTag === null) fail('idTag', 'idTag is required');
    else {
      const problem = checkIdTag(idTag, 'idTag');
      if (problem) fail('idTag', problem);
      else {
        const key = idTag.toUpperCase();
        const first = firstLineOf.get(key);
        if (first !== undefined) fail('idTag', `idTag "${idTag}" is also on line ${first} (idTags are case-insensitive)`);
        else firstLineOf.set(key, row.line);
      }
    }

    const status = cell('status');
    if (status === null) fail('status', 'status is required');
    else if (!(ID_TAG_STATUSES as readonly string[]).includes(status)) {
      fail('status', `status must be one of ${ID_TAG_STATUSES.join(', ')}, got "${status}"`);
    }

    const expiry = cell('expiryDate');
    const expiryDate = expiry === null ? null : isoToUtc(expiry);
    if (expiry !== null && expiryDate === null) {
      fail('expiryDate', `expiryDate must be an ISO-8601 date-time with an offset, e.g. 2026-01-02T03:04:05Z, got "${expiry}"`);
    }

    const parentIdTag = cell('parentIdTag');
    const parentProblem = parentIdTag === null ? null : checkIdTag(parentIdTag, 'parentIdTag');
    if (parentProblem) fail('parentIdTag', parentProblem);

    const label = cell('label');
    if (label !== null && [...label].length > LABEL_MAX_LENGTH) {
      fail('label', `label must be at most ${LABEL_MAX_LENGTH} characters, got ${[...label].length}`);
    }

    const max = cell('maxActiveTransactions');
    const maxActiveTransactions = max === null ? null : Number(max);
    if (max !== null && (!/^\d+$/.test(max) || maxActiveTransactions! < 1 || maxActiveTransactions! > MAX_INT)) {
      fail('maxActiveTransactions', `maxActiveTransactions must be a whole number from 1 to ${MAX_INT}, or empty for no limit, got "${max}"`);
    }

    const idTokenType = cell('idTokenType');
    if (idTokenType !== null && !(ID_TOKEN_TYPES as readonly string[]).includes(idTokenType)) {
      fail('idTokenType', `idTokenType must be one of ${ID_TOKEN_TYPES.join(', ')}, or empty, got "${idTokenType}"`);
    }

    if (errors.length === before) {
      tags.push({ idTag: idTag!, status: status as IdTagStatus, expiryDate, parentIdTag, maxActiveTransactions, label, idTokenType });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, tags, keep: OPTIONAL_COLUMNS.filter((column) => !columns.includes(column)) };
}

const MESSAGE_ERRORS = 20;

/** "3 lines are invalid: line 4: status must be …; line 7: …" — the first errors, then how many more. */
export function describeCsvErrors(errors: readonly CsvLineError[]): string {
  const lines = new Set(errors.map((e) => e.line)).size;
  const shown = errors.slice(0, MESSAGE_ERRORS).map((e) => `line ${e.line}: ${e.message}`);
  if (errors.length > MESSAGE_ERRORS) shown.push(`… and ${errors.length - MESSAGE_ERRORS} more`);
  return `${lines} ${lines === 1 ? 'line is' : 'lines are'} invalid: ${shown.join('; ')}`;
}
