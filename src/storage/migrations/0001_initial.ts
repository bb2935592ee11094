// Frozen: the schema as first released. Later changes are new numbered files, never edits here.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const autoId = (table: string) =>
    dialect === 'postgres'
      ? db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
      : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  const wh = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('charge_points')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('protocol', 'text')
    .addColumn('vendor', 'text')
    .addColumn('model', 'text')
    .addColumn('serial_number', 'text')
    .addColumn('firmware_version', 'text')
    .addColumn('registration_status', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('booted_at', 'text')
    .addColumn('last_seen_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('connectors')
    .addColumn('charge_point_id', 'text', (c) => c.notNull())
    .addColumn('connector_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text', (c) => c.notNull())
    .addColumn('info', 'text')
    .addColumn('vendor_error_code', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('connectors_pk', ['charge_point_id', 'connector_id'])
    .execute();

  await autoId('status_history')
    .addColumn('charge_point_id', 'text', (c) => c.notNull())
    .addColumn('connector_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text', (c) => c.notNull())
    .addColumn('info', 'text')
    .addColumn('vendor_id', 'text')
    .addColumn('vendor_error_code', 'text')
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_history_by_charger').on('status_history').columns(['charge_point_id', 'id']).execute();

  await db.schema
    .createTable('id_tags')
    .addColumn('id_tag_key', 'text', (c) => c.primaryKey())
    .addColumn('id_tag', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expiry_date', 'text')
    .addColumn('parent_id_tag', 'text')
    .addColumn('max_active_transactions', 'integer')
    .addColumn('label', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await autoId('transactions')
    .addColumn('charge_point_id', 'text', (c) => c.notNull())
    .addColumn('connector_id', 'integer', (c) => c.notNull())
    .addColumn('id_tag', 'text', (c) => c.notNull())
    .addColumn('id_tag_key', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('meter_start_wh', wh, (c) => c.notNull())
    .addColumn('reservation_id', 'integer')
    .addColumn('authorization_status', 'text', (c) => c.notNull())
    .addColumn('stopped_at', 'text')
    .addColumn('meter_stop_wh', wh)
    .addColumn('energy_wh', wh)
    .addColumn('stop_reason', 'text')
    .addColumn('stop_id_tag', 'text')
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('transaction_data', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('stop_received_at', 'text')
    // The same StartTransaction, resent after its answer was lost, must find this row instead of making another.
    .addUniqueConstraint('transactions_same_start', ['charge_point_id', 'connector_id', 'id_tag', 'started_at', 'meter_start_wh'])
    .execute();
  await db.schema.createIndex('transactions_by_charger').on('transactions').columns(['charge_point_id', 'id']).execute();
  await db.schema.createIndex('transactions_by_tag').on('transactions').columns(['id_tag_key', 'id']).execute();
  await db.schema.createIndex('transactions_by_start').on('transactions').columns(['started_at']).execute();
  // No index names stopped_at: a StopTransaction then updates its row in place (a PostgreSQL HOT update).

  await autoId('meter_values')
    .addColumn('transaction_id', 'integer')
    .addColumn('charge_point_id', 'text', (c) => c.notNull())
    .addColumn('connector_id', 'integer', (c) => c.notNull())
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .addColumn('measurand', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('unit', 'text')
    .addColumn('phase', 'text')
    .addColumn('context', 'text')
    .addColumn('location', 'text')
    .addColumn('format', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meter_values_by_transaction').on('meter_values').columns(['transaction_id', 'timestamp']).execute();

  await autoId('orphan_stops')
    .addColumn('charge_point_id', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'integer', (c) => c.notNull())
    .addColumn('id_tag', 'text')
    .addColumn('meter_stop_wh', wh, (c) => c.notNull())
    .addColumn('stopped_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('transaction_data', 'text')
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    // A quarantined stop resent by the charger is kept once.
    .addUniqueConstraint('orphan_stops_same_stop', ['charge_point_id', 'transaction_id', 'stopped_at', 'meter_stop_wh'])
    .execute();
}
