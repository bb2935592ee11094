// The better-sqlite3 database as Kysely's SQLite dialect sees it, with every error of the file (a full disk,
// an I/O error, a lock held elsewhere) turned into StorageUnavailableError and reported to StorageHealth.
// SQLite itself keeps the file intact through such an error; this keeps the process and the queue going.
import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';
import { asStorageFault, isUnavailabilityFault } from './faults.js';

export function faultAwareSqlite(sqlite: SqliteDatabase.Database, health: { fault(error: unknown): void }): KyselySqliteDatabase {
  const guard = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (isUnavailabilityFault('sqlite', error)) health.fault(error);
      throw asStorageFault('sqlite', error);
    }
  };
  return {
    close: () => sqlite.close(),
    prepare(text: string): SqliteStatement {
      const statement = guard(() => sqlite.prepare(text));
      // After a failed COMMIT (SQLITE_FULL, SQLITE_IOERR) SQLite may have rolled the transaction back itself;
      // Kysely's ROLLBACK must then do nothing rather than replace the real error with "no transaction is active".
      const isRollback = /^\s*rollback\s*$/i.test(text);
      return {
        reader: statement.reader,
        all: (parameters) => guard(() => statement.all(parameters as unknown[])),
        run: (parameters) => {
          if (isRollback && !sqlite.inTransaction) return { changes: 0, lastInsertRowid: 0 };
          return guard(() => statement.run(parameters as unknown[]));
        },
        iterate: (parameters) => guardedIterator(guard(() => statement.iterate(parameters as unknown[])), guard),
      };
    },
  };
}

function* guardedIterator<T>(rows: IterableIterator<T>, guard: <R>(run: () => R) => R): IterableIterator<T> {
  for (;;) {
    const next = guard(() => rows.next());
    if (next.done) return;
    yield next.value;
  }
}
