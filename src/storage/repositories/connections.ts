// Each charger's connects and disconnects, newest first.
import type { Kysely, Selectable } from 'kysely';
import type { ConnectionRecord, Page, PageQuery } from '../../domain/ports.js';
import { decodeCursor, toPage } from '../cursor.js';
import type { ConnectionRow } from '../batch-buffers.js';
import type { ConnectionHistoryTable, Database } from '../tables.js';

function toRecord(row: Selectable<ConnectionHistoryTable>): ConnectionRecord {
  return {
    id: Number(row.id),
    chargePointId: row.charge_point_id,
    kind: row.kind as ConnectionRecord['kind'],
    at: row.at,
    protocol: row.protocol,
    code: row.code,
    reason: row.reason,
  };
}

/** The row of one connect or disconnect, for the batch's bulk insert (batch-buffers.ts). */
export function connectionRow(input: Omit<ConnectionRecord, 'id'>): ConnectionRow {
  return { charge_point_id: input.chargePointId, kind: input.kind, at: input.at, protocol: input.protocol, code: input.code, reason: input.reason };
}

export async function listConnections(db: Kysely<Database>, chargePointId: string, query: PageQuery): Promise<Page<ConnectionRecord>> {
  const before = decodeCursor(query.cursor, 'number');
  let select = db.selectFrom('connection_history').selectAll().where('charge_point_id', '=', chargePointId).orderBy('id', 'desc').limit(query.limit + 1);
  if (before !== null) select = select.where('id', '<', before);
  return toPage(await select.execute(), query.limit, toRecord, (row) => Number(row.id));
}
