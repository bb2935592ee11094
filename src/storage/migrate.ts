// Versioned migrations, run at every start: each numbered file runs once per database, in order.
// Kysely's migrator takes a lock, so two processes starting together do not both migrate.
import { Migrator, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './db.js';
import * as initial from './migrations/0001_initial.js';

function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': { up: (db: Kysely<any>) => initial.up(db, dialect) },
  };
}

export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationsFor(dialect) } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
