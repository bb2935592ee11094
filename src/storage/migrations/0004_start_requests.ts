// Frozen: remote starts and what became of them.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('start_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('charge_point_id', 'text', (c) => c.notNull())
    .addColumn('connector_id', 'integer')
    .addColumn('id_tag', 'text', (c) => c.notNull())
    .addColumn('id_tag_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'integer')
    .addColumn('detail', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('start_requests_pending').on('start_requests').columns(['charge_point_id', 'status', 'created_at']).execute();
}
