// Frozen: a 2.x session no longer stores its latest register reading. Every reading is in meter_values already,
// and keeping a copy on the session row rewrote that row for every event that only brought readings; a session
// that ends without an end reading now takes its stop from its stored samples.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('transactions').dropColumn('last_reading_wh').execute();
  await db.schema.alterTable('transactions').dropColumn('last_reading_at').execute();
}
