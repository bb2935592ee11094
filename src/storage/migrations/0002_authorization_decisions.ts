// Frozen: the record of every authorization decision (who asked, for what, the answer, who decided).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const table =
    dialect === 'postgres'
      ? db.schema.createTable('authorization_decisions').addColumn('id', 'bigserial', (c) => c.primaryKey())
      : db.schema.createTable('authorization_decisions').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  await table
    .addColumn('charge_point_id', 'text', (c) => c.notNull())
    .addColumn('connector_id', 'integer')
    .addColumn('id_tag', 'text', (c) => c.notNull())
    .addColumn('id_tag_key', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('authorization_decisions_by_charger').on('authorization_decisions').columns(['charge_point_id', 'id']).execute();
  await db.schema.createIndex('authorization_decisions_by_tag').on('authorization_decisions').columns(['id_tag_key', 'id']).execute();
}
