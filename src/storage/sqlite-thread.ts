// The SQLite database's own thread: it owns the better-sqlite3 connection and runs each statement it is sent,
// in order, so that a commit's fsync (or a checkpoint) blocks this thread and never the chargers' event loop.
// Prepared statements are kept by their text: the group commit sends the same few hundred over and over.
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import type { SqliteFailure, SqliteRequest, SqliteResponse, SqliteThreadOptions } from './sqlite-thread-protocol.js';

const STATEMENT_CACHE_LIMIT = 1000;

const options = workerData as SqliteThreadOptions;
const port = parentPort!;
let openError: SqliteFailure | null = null;
const sqlite = open();
const statements = new Map<string, SqliteDatabase.Statement>();

function open(): SqliteDatabase.Database | null {
  try {
    const database = new SqliteDatabase(options.file);
    database.pragma('journal_mode = WAL');
    // FULL: every commit fsyncs the WAL, so an acknowledged transaction survives a power cut.
    database.pragma('synchronous = FULL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    return database;
  } catch (error) {
    // Every statement then fails with the reason (a file that cannot be opened is storage that is away).
    openError = describe(error);
    return null;
  }
}

function prepared(db: SqliteDatabase.Database, text: string): SqliteDatabase.Statement {
  let statement = statements.get(text);
  if (!statement) {
    if (statements.size >= STATEMENT_CACHE_LIMIT) statements.clear();
    statement = db.prepare(text);
    statements.set(text, statement);
  }
  return statement;
}

/** Buffers arrive as Uint8Arrays (structured clone); better-sqlite3 binds Buffers. */
function bindable(parameters: readonly unknown[]): unknown[] {
  return parameters.map((value) => (value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value));
}

function describe(error: unknown): SqliteFailure {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code: unknown = (error as Error & { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

function run(request: SqliteRequest): SqliteResponse {
  if (!sqlite) return { id: request.id, error: openError ?? { name: 'Error', message: 'the database connection is not open' } };
  try {
    // After a failed COMMIT (SQLITE_FULL, SQLITE_IOERR) SQLite may have rolled the transaction back itself;
    // Kysely's ROLLBACK must then do nothing rather than replace the real error with "no transaction is active".
    if (/^\s*rollback\s*$/i.test(request.sql) && !sqlite.inTransaction) return { id: request.id, changes: 0, lastInsertRowid: 0 };
    const statement = prepared(sqlite, request.sql);
    if (statement.reader) return { id: request.id, rows: statement.all(bindable(request.parameters)) as Record<string, unknown>[] };
    const { changes, lastInsertRowid } = statement.run(bindable(request.parameters));
    return { id: request.id, changes, lastInsertRowid };
  } catch (error) {
    return { id: request.id, error: describe(error) };
  }
}

port.on('message', (request: SqliteRequest | 'close') => {
  if (request === 'close') {
    sqlite?.close();
    port.close();
    return;
  }
  port.postMessage(run(request));
});
