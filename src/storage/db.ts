// Opens Kysely over one of the two engines: embedded SQLite (better-sqlite3) in the data folder, or the
// PostgreSQL server named by DATABASE_URL. Both are set up so that a commit is on disk when it returns, and so
// that their faults reach StorageHealth (health.ts) as StorageUnavailableError instead of ending the process.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './tables.js';
import { ResilientPgPool, queryOnce, type FaultSink, type PgTimeouts } from './pg-pool.js';
import { SqliteThreadDialect } from './sqlite-thread-dialect.js';
import { migrateToLatest } from './migrate.js';
import type { ThreadBatches } from './unit-of-work.js';
import type { ThreadRules } from './sqlite-thread-protocol.js';

export type Dialect = 'sqlite' | 'postgres';

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, for the start-up log: a file path, or the URL without its password. */
  location: string;
  /** A write that proves storage commits again (the health probe). */
  probe(): Promise<void>;
  /** Storage went away: PostgreSQL gets a fresh pool (the old connections may all be dead). */
  renew(): void;
  /** Runs the migrations not yet applied (without statement timeouts: one may rewrite a big table); their names. */
  migrate(): Promise<string[]>;
  /** SQLite: group-commit batches its thread runs whole. */
  batches: ThreadBatches | null;
}

export interface DatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
  timeouts: PgTimeouts;
  /** SQLite: the domain's rules its thread may apply (without them, writes that need one run on this side). */
  threadRules?: ThreadRules | null;
}

// int8 (bigint, count(*)) comes back from pg as a string; our Wh values and counts fit a double exactly.
pg.types.setTypeParser(20, (text) => Number.parseInt(text, 10));

export const SQLITE_FILE = 'voltgate.db';

/** What the SQLite probe writes: about as much as a large group-commit batch. */
const SQLITE_PROBE_BYTES = 1024 * 1024;

/** The longest a health probe may take (connect and write). */
const PROBE_TIMEOUT_MS = 2000;

const PROBE_SQL = 'insert into storage_probe (id, checked_at) values (1, $1) on conflict (id) do update set checked_at = excluded.checked_at';

export function openDatabase(options: DatabaseOptions, health: FaultSink): OpenedDatabase {
  if (options.databaseUrl) {
    const url = options.databaseUrl;
    const pool = new ResilientPgPool(url, options.timeouts, health);
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      dialect: 'postgres',
      location: redactDatabaseUrl(url),
      // On a connection of its own: a pooled one may be the dead socket that caused the fault. Writes wait for
      // its verdict, so it has less time than a statement: a stalled line is declared down within 2 s of it.
      probe: async () => {
        await queryOnce(url, { statementTimeoutMs: Math.min(options.timeouts.statementTimeoutMs, PROBE_TIMEOUT_MS) }, PROBE_SQL, [new Date().toISOString()]);
      },
      renew: () => pool.renew(),
      batches: null,
      migrate: async () => {
        const migrationPool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: options.timeouts.statementTimeoutMs });
        migrationPool.on('error', () => {});
        migrationPool.on('connect', (client) => client.on('error', () => {}));
        const migrations = new Kysely<Database>({ dialect: new PostgresDialect({ pool: migrationPool }) });
        try {
          return await migrateToLatest(migrations, 'postgres');
        } finally {
          await migrations.destroy().catch(() => {});
        }
      },
    };
  }
  const dir = resolve(options.dataDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, SQLITE_FILE);
  // The database lives on a thread of its own: a commit's fsync never blocks the chargers' event loop.
  const thread = new SqliteThreadDialect({ file, health, rules: options.threadRules ?? null });
  const db = new Kysely<Database>({ dialect: thread });
  return {
    db,
    dialect: 'sqlite',
    batches: thread.batches,
    location: file,
    // A megabyte, not a row: after a failed commit on a full disk, a small one may fit in the WAL file's slack
    // while the group commit's batches still fail (seen in sqlite-full-disk.test.ts), and storage would flap.
    probe: async () => {
      await sql`insert into storage_probe (id, checked_at, room) values (1, ${new Date().toISOString()}, zeroblob(${SQLITE_PROBE_BYTES}))
        on conflict (id) do update set checked_at = excluded.checked_at, room = excluded.room`.execute(db);
    },
    renew: () => {},
    migrate: () => migrateToLatest(db, 'sqlite'),
  };
}

/** The URL without its password, for logs and error messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}
