// Frozen: a credential change in flight per charger (issue 12, CONFORMANCE 26 and 31). A new password is kept beside
// the one in use until the charger accepts it or connects with it; a higher security profile the charger accepted
// is enforced from its first connection at that profile, the one in use until then.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('charge_points').addColumn('pending_password_hash', 'text').execute();
  await db.schema.alterTable('charge_points').addColumn('pending_security_profile', 'integer').execute();
}
