// Frozen: what a session, a token and a connector are in every dialect (issue 10). A 2.x session is named by
// the charger's own transaction id (a string) and built from a series of events, each kept once by its seqNo;
// tokens have a type; connectors belong to an EVSE; a remote start carries the integer the charger echoes.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const wh = dialect === 'postgres' ? 'bigint' : 'integer';
  for (const [column, type] of [
    ['evse_id', 'integer'],
    ['charger_transaction_id', 'text'],
    ['id_token_type', 'text'],
    // Where meter start came from: 'begin' (a Transaction.Begin reading), 'reading' (the earliest reading) or 'none'.
    ['meter_start_source', 'text'],
    ['meter_start_at', 'text'],
    // The latest register reading of a session still building, and whether meter stop is a Transaction.End reading.
    ['last_reading_wh', wh],
    ['last_reading_at', 'text'],
    ['meter_stop_source', 'text'],
    ['charging_state', 'text'],
    ['trigger_reason', 'text'],
  ] as const) {
    await db.schema.alterTable('transactions').addColumn(column, type).execute();
  }
  // One session per charger transaction id, across processes and restarts.
  await sql`create unique index transactions_by_charger_transaction on transactions (charge_point_id, charger_transaction_id)
    where charger_transaction_id is not null`.execute(db);
  // A 1.x start is recognised again by what it says (charger, connector, tag, time, meter); a 2.x session by its
  // charger's id, so two of its sessions that begin alike are still two: the 1.x rule now holds for 1.x rows only.
  await dropSameStartConstraint(db, dialect);
  await sql`create unique index transactions_same_start on transactions (charge_point_id, connector_id, id_tag, started_at, meter_start_wh)
    where charger_transaction_id is null`.execute(db);

  const events = db.schema.createTable('transaction_events');
  await (dialect === 'postgres' ? events.addColumn('id', 'bigserial', (c) => c.primaryKey()) : events.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('charge_point_id', 'text', (c) => c.notNull())
    .addColumn('charger_transaction_id', 'text', (c) => c.notNull())
    .addColumn('seq_no', 'integer', (c) => c.notNull())
    .addColumn('transaction_id', 'integer', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .addColumn('trigger_reason', 'text', (c) => c.notNull())
    .addColumn('offline', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  // A resent event (same seqNo of the same transaction) is recognised by the database, not by memory.
  await db.schema.createIndex('transaction_events_once').on('transaction_events').columns(['charge_point_id', 'charger_transaction_id', 'seq_no']).unique().execute();

  await db.schema.alterTable('id_tags').addColumn('id_token_type', 'text').execute();
  await db.schema.alterTable('authorization_decisions').addColumn('id_token_type', 'text').execute();
  // A 2.x connector is numbered within its EVSE: the key becomes (charger, EVSE, connector); 0 is "no EVSE" (1.x).
  await db.schema
    .createTable('connectors_by_evse')
    .addColumn('charge_point_id', 'text', (c) => c.notNull())
    .addColumn('evse_id', 'integer', (c) => c.notNull())
    .addColumn('connector_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text', (c) => c.notNull())
    .addColumn('info', 'text')
    .addColumn('vendor_error_code', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('connectors_by_evse_pkey', ['charge_point_id', 'evse_id', 'connector_id'])
    .execute();
  await sql`insert into connectors_by_evse (charge_point_id, evse_id, connector_id, status, error_code, info, vendor_error_code, updated_at)
    select charge_point_id, 0, connector_id, status, error_code, info, vendor_error_code, updated_at from connectors`.execute(db);
  await db.schema.dropTable('connectors').execute();
  await db.schema.alterTable('connectors_by_evse').renameTo('connectors').execute();
  await db.schema.alterTable('status_history').addColumn('evse_id', 'integer').execute();
  await db.schema.alterTable('charge_points').addColumn('protocols', 'text').execute();
  await db.schema.alterTable('start_requests').addColumn('remote_start_id', 'integer').execute();
  await db.schema.alterTable('start_requests').addColumn('evse_id', 'integer').execute();
  await db.schema.alterTable('start_requests').addColumn('id_token_type', 'text').execute();
}

/**
 * PostgreSQL drops the table constraint. SQLite cannot drop a constraint: the table is rebuilt from its own
 * definition without it, its rows copied, and its indexes made again.
 */
async function dropSameStartConstraint(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter table transactions drop constraint transactions_same_start`.execute(db);
    return;
  }
  const { rows: tables } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'transactions'`.execute(db);
  const { rows: indexes } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = 'transactions' and sql is not null`.execute(db);
  const definition = tables[0].sql.replace(/,\s*constraint\s+"?transactions_same_start"?\s+unique\s*\([^)]*\)/i, '');
  if (definition === tables[0].sql) throw new Error('migration 0009: the transactions_same_start constraint was not found');
  await sql.raw(definition.replace(/create table\s+"?transactions"?/i, 'create table "transactions_rebuilt"')).execute(db);
  await sql`insert into transactions_rebuilt select * from transactions`.execute(db);
  await sql`drop table transactions`.execute(db);
  await sql`alter table transactions_rebuilt rename to transactions`.execute(db);
  for (const index of indexes) await sql.raw(index.sql).execute(db);
}
