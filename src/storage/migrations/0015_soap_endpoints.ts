// Frozen: where a SOAP charger's own service listens. A SOAP charger holds no connection: Voltgate calls it at the
// address it announces in wsa:From (or one the operator sets), kept per charger across restarts.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('charge_points').addColumn('soap_endpoint', 'text').execute();
}
