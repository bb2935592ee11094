// Which database errors mean "storage is away" (the connection or the disk, not the statement), and the error
// that carries that meaning out of storage. A statement that is wrong fails alone; storage that is away fails
// every write until it is back (storage/health.ts), and nobody crashes either way.
import type { Dialect } from './db.js';

/** Storage cannot serve this request now. Callers see `storageUnavailable: true` (domain/storage-faults.ts). */
export class StorageUnavailableError extends Error {
  readonly storageUnavailable = true;
  readonly code = 'storage_unavailable';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/** Socket-level failures: the line to the database, not the statement. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'EHOSTDOWN', 'EAI_AGAIN', 'ENOTFOUND', 'ENOTCONN',
]);

/** What node-postgres says when the connection, not the statement, failed. */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'is not queryable',
  'Cannot use a pool after calling end',
  'the database system is',
];

/**
 * PostgreSQL SQLSTATEs (Appendix A) of a server that cannot serve now: connection exceptions (08), an
 * operator or crash shutdown and a server still starting (57P01–57P03), a statement cancelled by
 * statement_timeout (57014), too many connections or no disk left (53), a system I/O error (58), and a
 * read-only server (25006: a failed-over primary come back as a standby).
 */
function isPgUnavailableCode(code: string): boolean {
  return code.startsWith('08') || code.startsWith('53') || code.startsWith('58') || ['57P01', '57P02', '57P03', '57P04', '57014', '25006'].includes(code);
}

/**
 * SQLite result codes of a database file that cannot be written or read now: a full disk, an I/O error, a lock
 * held elsewhere, a read-only or vanished file, no memory. Primary codes; better-sqlite3 reports extended ones
 * (SQLITE_IOERR_WRITE …), so the prefix decides.
 */
const SQLITE_UNAVAILABLE = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_NOMEM', 'SQLITE_PROTOCOL', 'SQLITE_CORRUPT', 'SQLITE_NOTADB'];

export function isUnavailabilityFault(dialect: Dialect, error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as { storageUnavailable?: unknown }).storageUnavailable === true) return true;
  const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : '';
  const message = error instanceof Error ? error.message : '';
  if (dialect === 'sqlite') {
    return SQLITE_UNAVAILABLE.some((prefix) => code === prefix || code.startsWith(`${prefix}_`)) || message.includes('database connection is not open');
  }
  if (NETWORK_CODES.has(code)) return true;
  if (/^[0-9A-Z]{5}$/.test(code) && isPgUnavailableCode(code)) return true;
  return PG_CONNECTION_MESSAGES.some((text) => message.includes(text));
}

/** The error to throw for a fault: storage-away faults become StorageUnavailableError, others pass unchanged. */
export function asStorageFault(dialect: Dialect, error: unknown): unknown {
  if (!isUnavailabilityFault(dialect, error) || error instanceof StorageUnavailableError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return new StorageUnavailableError(`storage unavailable: ${detail}${typeof code === 'string' && !detail.includes(code) ? ` (${code})` : ''}`, { cause: error });
}
