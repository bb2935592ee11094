// Each charger's security events, newest first.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Page, PageQuery, SecurityEventRecord } from '../../domain/ports.js';
import { decodeCursor, toPage } from '../cursor.js';
import type { Database, SecurityEventsTable } from '../tables.js';

function toRecord(row: Selectable<SecurityEventsTable>): SecurityEventRecord {
  return {
    id: Number(row.id),
    chargePointId: row.charge_point_id,
    type: row.type,
    techInfo: row.tech_info,
    source: row.source as SecurityEventRecord['source'],
    occurredAt: row.occurred_at,
    receivedAt: row.received_at,
  };
}

export async function recordSecurityEvent(trx: Transaction<Database>, input: Omit<SecurityEventRecord, 'id'>): Promise<void> {
  await trx
    .insertInto('security_events')
    .values({ charge_point_id: input.chargePointId, type: input.type, tech_info: input.techInfo, source: input.source, occurred_at: input.occurredAt, received_at: input.receivedAt })
    .execute();
}

export async function listSecurityEvents(db: Kysely<Database>, chargePointId: string, query: PageQuery): Promise<Page<SecurityEventRecord>> {
  const before = decodeCursor(query.cursor, 'number');
  let select = db.selectFrom('security_events').selectAll().where('charge_point_id', '=', chargePointId).orderBy('id', 'desc').limit(query.limit + 1);
  if (before !== null) select = select.where('id', '<', before);
  return toPage(await select.execute(), query.limit, toRecord, (row) => Number(row.id));
}
