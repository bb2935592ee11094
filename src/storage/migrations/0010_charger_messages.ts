// Frozen: what a charger told Voltgate unasked that has no meaning of its own here yet (2.x reports, events,
// firmware and log status, vendor data), kept per charger so an operator can read it (issue 10).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const table = db.schema.createTable('charger_messages');
  await (dialect === 'postgres' ? table.addColumn('id', 'bigserial', (c) => c.primaryKey()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('charge_point_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  // A charger's messages, newest first, by keyset on id.
  await db.schema.createIndex('charger_messages_by_charger').on('charger_messages').columns(['charge_point_id', 'id']).execute();
}
