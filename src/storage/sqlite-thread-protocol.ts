// The messages between the event loop and the SQLite thread (sqlite-thread.ts): a statement, or a step of a
// group-commit batch that the thread runs itself (its transaction, named writes, the bulk rows, the commit).
import type { SessionFold, SettleStopEnergy } from '../domain/ports.js';
import type { BufferedRows } from './batch-buffers.js';
import type { ThreadOpName } from './sqlite-thread-ops.js';

export interface SqliteThreadOptions {
  /** The database file. */
  file: string;
  /** The URL of the module that exports the domain's rules the thread's writes apply (ThreadRules.module). */
  rulesModule: string | null;
}

/**
 * The domain's rules that SQLite's thread may apply itself: the module that exports them, for the thread to
 * import, and the same functions as this side knows them, to tell the inputs that use them (any other rule keeps
 * its write on this side). Given by the composition root: storage does not import the domain.
 */
export interface ThreadRules {
  module: string;
  settleStopEnergy: SettleStopEnergy;
  sessionFold: SessionFold;
}

export interface SqliteStatementRequest {
  id: number;
  sql: string;
  parameters: readonly unknown[];
}

/** One step of a batch: what it asks is done in this order, and a failure rolls the whole transaction back. */
export interface SqliteBatchStep {
  /** Begins the batch's transaction (IMMEDIATE). */
  begin?: boolean;
  /** Named writes (sqlite-thread-ops.ts), each given all of its inputs in the batch; a result list per write. */
  ops?: Array<{ op: ThreadOpName; args: unknown }>;
  /** Rows for the bulk insert, joining those the writes buffered. */
  rows?: BufferedRows;
  /** Inserts every buffered row and commits. */
  commit?: boolean;
  /** Ends the transaction without it (the event loop gave up on the batch). */
  rollback?: boolean;
}

export interface SqliteStepRequest {
  id: number;
  step: SqliteBatchStep;
}

export type SqliteRequest = SqliteStatementRequest | SqliteStepRequest;

/** An error as it crosses threads: its name, message and SQLite result code (SQLITE_FULL …), which decide what it means. */
export interface SqliteFailure {
  name: string;
  message: string;
  code?: string;
}

export type SqliteResponse =
  | { id: number; rows: Record<string, unknown>[] }
  | { id: number; changes: number; lastInsertRowid: number | bigint }
  | { id: number; results: unknown[][] }
  | { id: number; error: SqliteFailure };
