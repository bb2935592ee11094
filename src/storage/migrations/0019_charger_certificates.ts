// Frozen: the certificates chargers hold, as far as Voltgate knows them (issue 12 point 4): the ones it had signed
// for them, and the ones they presented at a TLS handshake. Kept to warn before one expires, once per certificate.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const table = db.schema.createTable('charger_certificates');
  await (dialect === 'postgres' ? table.addColumn('id', 'bigserial', (c) => c.primaryKey()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('charge_point_id', 'text', (c) => c.notNull())
    .addColumn('serial_number', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('not_before', 'text', (c) => c.notNull())
    .addColumn('not_after', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('expiry_warned_at', 'text')
    .addUniqueConstraint('charger_certificates_once', ['charge_point_id', 'issuer', 'serial_number'])
    .execute();
  await db.schema.createIndex('charger_certificates_by_expiry').on('charger_certificates').columns(['not_after']).execute();
}
