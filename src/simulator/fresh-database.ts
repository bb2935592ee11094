// A new, empty database on the PostgreSQL server the bench was given, so every run starts from nothing;
// dropped again (with its connections) when the run ends.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface FreshDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createFreshDatabase(serverUrl: string): Promise<FreshDatabase> {
  const name = `voltgate_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      c.on('error', () => {}); // dropping is cleanup: a late error must not end the bench
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Where a server the bench starts keeps its data: a new temporary data folder, and with `serverUrl` a fresh
 * database on that PostgreSQL server. `cleanups` gets what removes both.
 */
export async function freshStorage(serverUrl: string | null, cleanups: Array<() => Promise<void>>): Promise<{ env: Record<string, string>; storage: 'sqlite' | 'postgres' }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'voltgate-bench-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  if (!serverUrl) return { env: { VOLTGATE_DATA_DIR: dataDir }, storage: 'sqlite' };
  const db = await createFreshDatabase(serverUrl);
  cleanups.push(db.drop);
  return { env: { VOLTGATE_DATA_DIR: dataDir, DATABASE_URL: db.url }, storage: 'postgres' };
}
