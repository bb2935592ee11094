// A fresh, empty database for one test server: a temporary data folder for SQLite, or, when DATABASE_URL
// is set, a new database created on that PostgreSQL server (dropped again by cleanup()).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import SqliteDatabase from 'better-sqlite3';
import { SQLITE_FILE } from '../../src/storage/db.js';
import { TcpProxy } from '../../src/simulator/tcp-proxy.js';

export interface FreshStorage {
  dataDir: string;
  databaseUrl: string | null;
  /** One statement from a connection of its own (another writer or reader of the same database): its rows. */
  query<Row = Record<string, unknown>>(text: string): Promise<Row[]>;
  cleanup(): Promise<void>;
}

let counter = 0;

export async function freshStorageOptions(): Promise<FreshStorage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'voltgate-test-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const query = async <Row>(text: string) => {
      const db = new SqliteDatabase(join(dataDir, SQLITE_FILE));
      try {
        const statement = db.prepare(text);
        return statement.reader ? (statement.all() as Row[]) : (statement.run(), []);
      } finally {
        db.close();
      }
    };
    return { dataDir, databaseUrl: null, query, cleanup: async () => removeDir() };
  }

  const name = `voltgate_test_${process.pid}_${Date.now()}_${counter++}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    query: <Row>(text: string) => adminQuery<Row>(url.toString(), text),
    cleanup: async () => {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      removeDir();
    },
  };
}

async function adminQuery<Row = unknown>(serverUrl: string, text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on('error', () => {}); // a fault test's restart must not end the test process
  await client.connect();
  try {
    return (await client.query(text)).rows as Row[];
  } finally {
    await client.end();
  }
}

/**
 * PostgreSQL only: a fresh database whose URL leads through a TcpProxy, so a test can cut, refuse or stall the
 * line; `directUrl` reaches the same database without it. Null without DATABASE_URL.
 */
export async function proxiedStorageOptions(): Promise<(FreshStorage & { proxy: TcpProxy; directUrl: string }) | null> {
  if (!process.env.DATABASE_URL) return null;
  const fresh = await freshStorageOptions();
  const direct = new URL(fresh.databaseUrl!);
  const proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
  return {
    ...fresh,
    databaseUrl: proxy.url(fresh.databaseUrl!),
    directUrl: fresh.databaseUrl!,
    proxy,
    cleanup: async () => {
      await proxy.close();
      await fresh.cleanup();
    },
  };
}

/** Ends every backend of this database but the caller's own: what an operator or a failover does to Voltgate. */
export async function terminateBackends(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query(
      'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return rows.filter((r) => r.ended).length;
  } finally {
    await client.end();
  }
}
