// The messages between the event loop and the SQLite thread (sqlite-thread.ts): one statement each way.

export interface SqliteThreadOptions {
  /** The database file. */
  file: string;
}

export interface SqliteRequest {
  id: number;
  sql: string;
  parameters: readonly unknown[];
}

/** An error as it crosses threads: its name, message and SQLite result code (SQLITE_FULL …), which decide what it means. */
export interface SqliteFailure {
  name: string;
  message: string;
  code?: string;
}

export type SqliteResponse =
  | { id: number; rows: Record<string, unknown>[] }
  | { id: number; changes: number; lastInsertRowid: number | bigint }
  | { id: number; error: SqliteFailure };
