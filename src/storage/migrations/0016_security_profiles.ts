// Frozen: each charger's OCPP security profile (0-3). At 2 it must come over TLS; at 3 over TLS with a client
// certificate naming it. Every charger registered before is at 0: what it was allowed, it still is.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('charge_points').addColumn('security_profile', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
