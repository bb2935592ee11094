// A fresh, empty database for one test server: a temporary data folder for SQLite, or, when DATABASE_URL
// is set, a new database created on that PostgreSQL server (dropped again by cleanup()).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface FreshStorage {
  dataDir: string;
  databaseUrl: string | null;
  cleanup(): Promise<void>;
}

let counter = 0;

export async function freshStorageOptions(): Promise<FreshStorage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'voltgate-test-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { dataDir, databaseUrl: null, cleanup: async () => removeDir() };

  const name = `voltgate_test_${process.pid}_${Date.now()}_${counter++}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    cleanup: async () => {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      removeDir();
    },
  };
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
