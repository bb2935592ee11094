// Frozen: a session event is told apart by its session's id and its seqNo. A session is one per charger and
// charger transaction id, so this is the same rule as (charger, transaction id, seqNo), on an integer key that
// is cheaper to compare and to index than two strings, one of them a 36-character UUID. PostgreSQL also drops the
// events' own serial id: nothing reads it, and it cost a sequence step and a second index entry per event. SQLite
// keeps it (there it is the row's built-in rowid).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.dropIndex('transaction_events_once').execute();
  await db.schema.createIndex('transaction_events_once').on('transaction_events').columns(['transaction_id', 'seq_no']).unique().execute();
  if (dialect === 'postgres') await sql`alter table transaction_events drop column id`.execute(db);
}
