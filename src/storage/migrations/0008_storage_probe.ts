// Frozen: one row that the storage health probe writes, so "storage is back" means a commit reached the disk
// again (a full disk or a read-only failover answers reads but not this), not only that a connection opened.
// `room`: on SQLite the probe writes a megabyte here, so that a full disk is not declared back because a tiny
// commit fitted in the space an earlier failed commit left allocated at the end of the WAL file.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('storage_probe')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .addColumn('room', dialect === 'postgres' ? 'bytea' : 'blob')
    .execute();
}
