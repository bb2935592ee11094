// Messages a charger sent unasked that Voltgate keeps as they came (issue 10), read per charger newest first.
import type { Kysely } from 'kysely';
import type { ChargerMessageInput, ChargerMessageRecord, Page, PageQuery } from '../../domain/ports.js';
import { decodeCursor, toPage } from '../cursor.js';
import type { Database } from '../tables.js';

export async function recordMessage(db: Kysely<Database>, input: ChargerMessageInput): Promise<void> {
  await db
    .insertInto('charger_messages')
    .values({ charge_point_id: input.chargePointId, action: input.action, payload: JSON.stringify(input.payload ?? null), received_at: input.receivedAt })
    .execute();
}

export async function listMessages(db: Kysely<Database>, chargePointId: string, query: PageQuery): Promise<Page<ChargerMessageRecord>> {
  const before = decodeCursor(query.cursor, 'number');
  let select = db.selectFrom('charger_messages').selectAll().where('charge_point_id', '=', chargePointId).orderBy('id', 'desc').limit(query.limit + 1);
  if (before !== null) select = select.where('id', '<', before);
  return toPage(
    await select.execute(),
    query.limit,
    (row) => ({ id: Number(row.id), chargePointId: row.charge_point_id, action: row.action, payload: JSON.parse(row.payload) as unknown, receivedAt: row.received_at }),
    (row) => Number(row.id),
  );
}
