// Frozen: the event outbox, webhook subscriptions with their pending deliveries and delivery log, and
// each charger's connection history.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const serial = (name: string) =>
    dialect === 'postgres'
      ? db.schema.createTable(name).addColumn('id', 'bigserial', (c) => c.primaryKey())
      : db.schema.createTable(name).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

  // id: time-ordered text made by the writer, so the feed resumes with "id > Last-Event-ID". On SQLite the rows
  // live in the primary key's own tree (without rowid): one tree to write per event instead of two.
  const events = db.schema.createTable('events');
  await (dialect === 'sqlite' ? events.modifyEnd(sql`without rowid`) : events)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    // 0 until the dispatcher has queued its webhook deliveries.
    .addColumn('dispatched', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Partial: only the few rows still waiting for the dispatcher are in it, so most inserts never touch it.
  await db.schema.createIndex('events_undispatched').on('events').column('id').where(sql.ref('dispatched'), '=', 0).execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhook_pending')
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_pending_pk', ['webhook_id', 'event_id'])
    .execute();
  await db.schema.createIndex('webhook_pending_due').on('webhook_pending').columns(['next_attempt_at']).execute();

  await serial('webhook_deliveries')
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('attempted_at', 'text', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_by_webhook').on('webhook_deliveries').columns(['webhook_id', 'id']).execute();

  await serial('connection_history')
    .addColumn('charge_point_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('protocol', 'text')
    .addColumn('code', 'integer')
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('connection_history_by_charger').on('connection_history').columns(['charge_point_id', 'id']).execute();
}
