// Frozen: each entry of a charger's local list keeps the type it was pushed with. A 2.x list tells tokens apart by
// value and type, so a removal, or a token whose type changed, must name the type the station holds it under.
// Entries pushed before this have none (null): they were pushed as the default type, and are removed as it.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('local_list_entries').addColumn('id_token_type', 'text').execute();
}
