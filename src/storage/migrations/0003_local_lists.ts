// Frozen: each charger's Local Authorization List as Voltgate last saw it acknowledged (OCPP 1.6 §5.15):
// its version, whether it supports one, its limits, and the entries it holds at that version.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>, _dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('local_lists')
    .addColumn('charge_point_id', 'text', (c) => c.primaryKey())
    .addColumn('list_version', 'integer', (c) => c.notNull())
    // 0 or 1: the same on both engines.
    .addColumn('not_supported', 'integer', (c) => c.notNull())
    .addColumn('send_local_list_max_length', 'integer')
    .addColumn('local_auth_list_max_length', 'integer')
    .addColumn('limits_read_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('local_list_entries')
    .addColumn('charge_point_id', 'text', (c) => c.notNull())
    // Upper-cased idTag: OCPP idTags are case-insensitive.
    .addColumn('id_tag_key', 'text', (c) => c.notNull())
    .addColumn('id_tag', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expiry_date', 'text')
    .addColumn('parent_id_tag', 'text')
    .addPrimaryKeyConstraint('local_list_entries_pk', ['charge_point_id', 'id_tag_key'])
    .execute();
}
