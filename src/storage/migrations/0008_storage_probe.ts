// Frozen: one row that the storage health probe writes, so "storage is back" means a commit reached the disk
// again (a full disk or a read-only failover answers reads but not this), not only that a connection opened.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('storage_probe')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .execute();
}
