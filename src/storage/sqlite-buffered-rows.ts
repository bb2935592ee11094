// The SQLite thread's insert of a batch's buffered rows: one prepared statement per table, run once per row
// inside the batch's transaction. At light load most batches hold a row or two, and building and compiling a
// multi-row INSERT for each cost the thread more than SQLite's own work; a prepared statement run per row costs
// a few microseconds. The same columns as PostgreSQL's bulk insert, a missing one stored as null.
import type SqliteDatabase from 'better-sqlite3';
import { BOOT_UPDATES, BUFFERED_COLUMNS, type BatchBuffers } from './batch-buffers.js';

type Prepare = (sql: string) => SqliteDatabase.Statement;
type Table = keyof typeof BUFFERED_COLUMNS;

const COLUMNS = Object.fromEntries(Object.entries(BUFFERED_COLUMNS).map(([table, columns]) => [table, Object.keys(columns)])) as Record<Table, string[]>;

function insertInto(table: Table, columns = COLUMNS[table]): string {
  return `insert into "${table}" (${columns.map((name) => `"${name}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`;
}

const REGISTRATION_COLUMNS = ['id', 'registration_status', 'created_at', 'updated_at'];
const INSERTS = {
  events: insertInto('events'),
  authorization_decisions: insertInto('authorization_decisions'),
  meter_values: insertInto('meter_values'),
  connection_history: insertInto('connection_history'),
  registrations: `${insertInto('charge_points', REGISTRATION_COLUMNS)} on conflict ("id") do nothing`,
  lastSeen: 'update "charge_points" set "last_seen_at" = ? where "id" = ?',
  boots: `${insertInto('charge_points')} on conflict ("id") do update set ${BOOT_UPDATES.map((name) => `"${name}" = excluded."${name}"`).join(', ')}`,
};

function insertEach(prepare: Prepare, sql: string, columns: string[], rows: Iterable<object>): void {
  let statement: SqliteDatabase.Statement | null = null;
  for (const row of rows) {
    statement ??= prepare(sql);
    statement.run(columns.map((name) => (row as Record<string, unknown>)[name] ?? null));
  }
}

/** Inserts every row the batch buffered (and the last-seen times of its disconnects), in the open transaction. */
export function insertBufferedRows(prepare: Prepare, buffers: BatchBuffers): void {
  insertEach(prepare, INSERTS.events, COLUMNS.events, buffers.events);
  insertEach(prepare, INSERTS.authorization_decisions, COLUMNS.authorization_decisions, buffers.decisions);
  insertEach(prepare, INSERTS.meter_values, COLUMNS.meter_values, buffers.meterValues);
  insertEach(prepare, INSERTS.connection_history, COLUMNS.connection_history, buffers.connections);
  insertEach(prepare, INSERTS.lastSeen, ['at', 'id'], [...buffers.lastSeenOfDisconnects()].map(([id, at]) => ({ id, at })));
  insertEach(prepare, INSERTS.registrations, REGISTRATION_COLUMNS, buffers.registrations.values());
  insertEach(prepare, INSERTS.boots, COLUMNS.charge_points, buffers.boots.values());
}
