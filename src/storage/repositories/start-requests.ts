// Remote starts and their outcome. A request is matched to the StartTransaction it asked for inside the
// same group-commit transaction that records the session.
import type { Kysely, Selectable } from 'kysely';
import type { IsoTime, StartRequestRecord, StartRequestStatus } from '../../domain/ports.js';
import type { Database, StartRequestsTable } from '../tables.js';

type Db = Kysely<Database>;

function toStartRequest(row: Selectable<StartRequestsTable>): StartRequestRecord {
  return {
    id: row.id,
    chargePointId: row.charge_point_id,
    connectorId: row.connector_id,
    idTag: row.id_tag,
    status: row.status as StartRequestStatus,
    transactionId: row.transaction_id,
    detail: row.detail,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    updatedAt: row.updated_at,
    remoteStartId: row.remote_start_id,
    evseId: row.evse_id,
    idTokenType: row.id_token_type,
  };
}

export async function createStartRequest(db: Db, record: StartRequestRecord): Promise<void> {
  await db
    .insertInto('start_requests')
    .values({
      id: record.id,
      charge_point_id: record.chargePointId,
      connector_id: record.connectorId,
      id_tag: record.idTag,
      id_tag_key: record.idTag.toUpperCase(),
      status: record.status,
      transaction_id: record.transactionId,
      detail: record.detail,
      created_at: record.createdAt,
      expires_at: record.expiresAt,
      updated_at: record.updatedAt,
      remote_start_id: record.remoteStartId,
      evse_id: record.evseId,
      id_token_type: record.idTokenType,
    })
    .execute();
}

export async function getStartRequest(db: Db, id: string): Promise<StartRequestRecord | null> {
  const row = await db.selectFrom('start_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toStartRequest(row) : null;
}

export async function settleStartRequest(
  db: Db,
  id: string,
  change: { status: StartRequestStatus; transactionId?: number | null; detail?: string | null; at: IsoTime },
): Promise<void> {
  await db
    .updateTable('start_requests')
    .set({
      status: change.status,
      ...(change.transactionId !== undefined ? { transaction_id: change.transactionId } : {}),
      ...(change.detail !== undefined ? { detail: change.detail } : {}),
      updated_at: change.at,
    })
    .where('id', '=', id)
    .where('status', '=', 'Pending')
    .execute();
}

export async function matchStart(
  db: Db,
  input: { chargePointId: string; connectorId: number; idTag: string; transactionId: number; at: IsoTime; remoteStartId?: number | null },
): Promise<string | null> {
  // A resent start whose first send already settled a request settles no other.
  const settled = await db.selectFrom('start_requests').select('id').where('transaction_id', '=', input.transactionId).executeTakeFirst();
  if (settled) return null;
  // A charger that echoes the request's own number (2.x remoteStartId) names it: no guessing by tag and connector.
  if (input.remoteStartId != null) {
    const named = await db
      .selectFrom('start_requests')
      .select('id')
      .where('charge_point_id', '=', input.chargePointId)
      .where('remote_start_id', '=', input.remoteStartId)
      .where('status', '=', 'Pending')
      .executeTakeFirst();
    if (!named) return null;
    await settleStartRequest(db, named.id, { status: 'Started', transactionId: input.transactionId, at: input.at });
    return named.id;
  }
  const candidate = await db
    .selectFrom('start_requests')
    .select('id')
    .where('charge_point_id', '=', input.chargePointId)
    .where('status', '=', 'Pending')
    .where('id_tag_key', '=', input.idTag.toUpperCase())
    .where('expires_at', '>', input.at)
    .where((eb) => eb.or([eb('connector_id', 'is', null), eb('connector_id', '=', input.connectorId)]))
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  if (!candidate) return null;
  await settleStartRequest(db, candidate.id, { status: 'Started', transactionId: input.transactionId, at: input.at });
  return candidate.id;
}

export async function chargersWithPending(db: Db, now: IsoTime): Promise<string[]> {
  const rows = await db
    .selectFrom('start_requests')
    .select('charge_point_id')
    .distinct()
    .where('status', '=', 'Pending')
    .where('expires_at', '>', now)
    .execute();
  return rows.map((r) => r.charge_point_id);
}
