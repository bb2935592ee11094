// Migrations over a database that already holds rows, on both engines: what 0009 (issue 10) rebuilds keeps
// every session and connector, and the 1.x rule that a resent start is the same session still holds.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { createStorage } from '../../src/storage/create-storage.js';
import { SQLITE_FILE } from '../../src/storage/db.js';
import { freshStorageOptions, type FreshStorage } from '../support/test-database.js';

describe('migration 0009 over existing rows', () => {
  let fresh: FreshStorage;
  before(async () => {
    fresh = await freshStorageOptions();
  });
  after(() => fresh.cleanup());

  it('issue 10: sessions, connectors and the resent-start rule survive the rebuild', async () => {
    const dialect = fresh.databaseUrl ? 'postgres' : 'sqlite';
    const db = new Kysely<any>({
      dialect: fresh.databaseUrl
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: fresh.databaseUrl, max: 1 }) })
        : new SqliteDialect({ database: new SqliteDatabase(join(fresh.dataDir, SQLITE_FILE)) }),
    });
    try {
      await migrateToLatest(db, dialect, '0008_storage_probe');
      const row = {
        charge_point_id: 'CP-OLD', connector_id: 1, id_tag: 'TAG', id_tag_key: 'TAG', started_at: '2026-01-01T10:00:00.000Z', meter_start_wh: 100,
        authorization_status: 'Accepted', flags: '[]', created_at: '2026-01-01T10:00:01.000Z',
      };
      await db.insertInto('transactions').values(row).execute();
      await db.insertInto('connectors').values({ charge_point_id: 'CP-OLD', connector_id: 1, status: 'Charging', error_code: 'NoError', updated_at: row.started_at }).execute();
      await migrateToLatest(db, dialect);
      const [session] = await db.selectFrom('transactions').selectAll().execute();
      assert.deepEqual([session.charge_point_id, Number(session.meter_start_wh), session.charger_transaction_id], ['CP-OLD', 100, null]);
      const [connector] = await db.selectFrom('connectors').selectAll().execute();
      assert.deepEqual([connector.evse_id, connector.connector_id, connector.status], [0, 1, 'Charging']);
      const { rows } = await sql<{ n: number }>`select count(*) as n from transactions`.execute(db);
      assert.equal(Number(rows[0].n), 1);
    } finally {
      await db.destroy();
    }
    // Through the storage itself: the old row is found again when its start is resent.
    const storage = await createStorage({ databaseUrl: fresh.databaseUrl, dataDir: fresh.dataDir });
    try {
      const again = await storage.transactions.start({
        chargePointId: 'CP-OLD', connectorId: 1, idTag: 'TAG', meterStartWh: 100, startedAt: '2026-01-01T10:00:00.000Z', reservationId: null, authorizationStatus: 'Accepted', flags: [],
      });
      assert.equal(again.duplicate, true);
      const cp = await storage.chargePoints.get('CP-OLD');
      assert.equal(cp, null, 'a connector row alone makes no charger');
    } finally {
      await storage.close();
    }
  });
});
