// Frozen: a charger's transactionId is any JSON integer (OCPP 1.6 schema), so the columns that keep it as the
// charger sent it (samples and stops for sessions this CSMS does not know) take 64 bits on PostgreSQL too.
// SQLite's integers are 64-bit already.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`alter table meter_values alter column transaction_id type bigint`.execute(db);
  await sql`alter table orphan_stops alter column transaction_id type bigint`.execute(db);
}
