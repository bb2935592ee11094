// The SQLite database's own thread: it owns the better-sqlite3 connection, so that a commit's fsync (or a
// checkpoint) blocks this thread and never the chargers' event loop. It runs what it is sent, in order: single
// statements, and the steps of a group-commit batch that it runs itself (its named writes with the thread's own
// Kysely, its bulk rows, its commit), a message or two per batch instead of one per statement.
// Prepared statements are kept by their text: the group commit sends the same few hundred over and over.
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { BatchBuffers } from './batch-buffers.js';
import { runThreadOp, type RulesModule } from './sqlite-thread-ops.js';
import { insertBufferedRows } from './sqlite-buffered-rows.js';
import type { Database } from './tables.js';
import type { SqliteFailure, SqliteRequest, SqliteResponse, SqliteStatementRequest, SqliteStepRequest, SqliteThreadOptions } from './sqlite-thread-protocol.js';

const STATEMENT_CACHE_LIMIT = 1000;

const options = workerData as SqliteThreadOptions;
const port = parentPort!;
let openError: SqliteFailure | null = null;
const sqlite = open();
const statements = new Map<string, SqliteDatabase.Statement>();
const rules = (options.rulesModule ? await import(options.rulesModule) : {}) as RulesModule;
/** The repositories' queries run here too, on the same connection and statement cache. */
const db = sqlite && new Kysely<Database>({ dialect: new SqliteDialect({ database: { prepare: (text: string) => prepared(sqlite, text), close: () => {} } }) });
/** The rows of the batch whose transaction is open. */
let batch: BatchBuffers | null = null;

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

function prepared(database: SqliteDatabase.Database, text: string): SqliteDatabase.Statement {
  let statement = statements.get(text);
  if (!statement) {
    if (statements.size >= STATEMENT_CACHE_LIMIT) statements.clear();
    statement = database.prepare(text);
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

function notOpen(id: number): SqliteResponse {
  return { id, error: openError ?? { name: 'Error', message: 'the database connection is not open' } };
}

function runStatement(request: SqliteStatementRequest): SqliteResponse {
  if (!sqlite) return notOpen(request.id);
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

async function runStep({ id, step }: SqliteStepRequest): Promise<SqliteResponse> {
  if (!sqlite || !db) return notOpen(id);
  try {
    if (step.rollback) {
      rollback(sqlite);
      return { id, results: [] };
    }
    if (step.begin) {
      prepared(sqlite, 'begin immediate').run();
      batch = new BatchBuffers('sqlite');
    }
    if (!batch) throw new Error('no batch is open on the SQLite thread');
    const results: unknown[][] = [];
    for (const { op, args } of step.ops ?? []) results.push(await runThreadOp(db, batch, op, args, rules));
    if (step.rows) batch.add(step.rows);
    if (step.commit) {
      insertBufferedRows((text) => prepared(sqlite, text), batch);
      batch = null;
      prepared(sqlite, 'commit').run();
    }
    return { id, results };
  } catch (error) {
    // A failed COMMIT (SQLITE_FULL, SQLITE_IOERR) may have rolled back already; otherwise nothing of it stays.
    rollback(sqlite);
    return { id, error: describe(error) };
  }
}

function rollback(database: SqliteDatabase.Database): void {
  batch = null;
  try {
    if (database.inTransaction) prepared(database, 'rollback').run();
  } catch {
    // The error that led here is the one to report.
  }
}

// A step awaits the thread's own Kysely (synchronous underneath): the next message waits for it to end.
let previous: Promise<unknown> = Promise.resolve();
port.on('message', (request: SqliteRequest | 'close') => {
  previous = previous.then(async () => {
    if (request === 'close') {
      sqlite?.close();
      port.close();
      return;
    }
    port.postMessage('step' in request ? await runStep(request) : runStatement(request));
  });
});
