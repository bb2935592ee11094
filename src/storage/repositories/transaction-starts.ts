// StartTransaction's write: one row per session, recognised again by a unique constraint when the charger
// resends it. Runs inside a group-commit batch; on PostgreSQL a batch's starts go as one INSERT.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuthorizationStatus, SessionStartInput, SessionStartResult } from '../../domain/ports.js';
import type { Database } from '../tables.js';
import type { WritePlan } from './transaction-writes.js';

type Trx = Transaction<Database>;
type Db = Kysely<Database>;

/**
 * Many starts at once: one INSERT of every row (PostgreSQL: each column an array; SQLite: the rows as one JSON
 * parameter), so a burst of starts is one statement per batch. The same unique constraint tells a resent start,
 * which gets the id of the first.
 */
export async function insertStarts(trx: Trx, inputs: SessionStartInput[], now: string, dialect: 'sqlite' | 'postgres'): Promise<SessionStartResult[]> {
  const rows = inputs.map((input) => startRow(input, now));
  const inserted = await (dialect === 'postgres' ? insertRows(rows, null) : insertRowsSqlite(rows)).execute(trx);
  const newIds = new Map(inserted.rows.map((row) => [startKey(row), row.id]));
  const results: SessionStartResult[] = [];
  for (const input of inputs) {
    const key = startKey(startRow(input, now));
    const id = newIds.get(key);
    if (id === undefined) {
      results.push(await existingStart(trx, input));
      continue;
    }
    // The same start twice in one batch: the second is a resend of the first.
    newIds.delete(key);
    results.push({ transactionId: id, duplicate: false, authorizationStatus: input.authorizationStatus });
  }
  return results;
}

/**
 * The starts of a batch as one INSERT, with ids taken from the sequence beforehand so the answers and events
 * can be built before the statement runs. Null when one start appears twice in the batch (the transaction handles it).
 */
export function planStarts(db: Db, inputs: SessionStartInput[], ids: number[], now: string): WritePlan<SessionStartResult> | null {
  const rows = inputs.map((input) => startRow(input, now));
  if (new Set(rows.map(startKey)).size !== rows.length) return null;
  const cte = insertRows(rows, ids);
  const predicted = inputs.map((input, i) => ({
    result: { transactionId: ids[i], duplicate: false, authorizationStatus: input.authorizationStatus } as SessionStartResult,
    guardId: ids[i],
  }));
  return {
    cte,
    predicted,
    finish: (applied) => Promise.all(inputs.map((input, i) => (applied.has(ids[i]) ? predicted[i].result : existingStart(db, input)))),
  };
}

/** Transaction ids drawn from the sequence ahead of the INSERT that uses them (PostgreSQL), a few at a time. */
export class TransactionIdReserve {
  private pool: number[] = [];

  async take(db: Db, count: number): Promise<number[]> {
    while (this.pool.length < count) {
      const wanted = Math.max(count - this.pool.length, 32);
      const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('transactions', 'id'))::integer as id
        from generate_series(1, ${wanted}::integer)`.execute(db);
      this.pool.push(...rows.map((row) => row.id));
    }
    return this.pool.splice(0, count);
  }
}

type StartRow = ReturnType<typeof startRow>;

/**
 * PostgreSQL: one INSERT of many starts, a column an array; a resent start is skipped by the unique constraint.
 * `ids` are the transaction ids drawn ahead, or null to let the sequence number the rows.
 */
function insertRows(rows: StartRow[], ids: number[] | null) {
  const column = <K extends keyof StartRow>(key: K) => rows.map((row) => row[key]);
  return sql<{ id: number; charge_point_id: string; connector_id: number; id_tag: string; started_at: string; meter_start_wh: number }>`
    insert into transactions (id, charge_point_id, connector_id, id_tag, id_tag_key, started_at, meter_start_wh, reservation_id, authorization_status, flags, created_at)
    select coalesce(r.id, nextval(pg_get_serial_sequence('transactions', 'id'))::integer), r.charge_point_id, r.connector_id, r.id_tag,
      r.id_tag_key, r.started_at, r.meter_start_wh, r.reservation_id, r.authorization_status, r.flags, r.created_at
    from unnest(${ids ?? rows.map(() => null)}::integer[], ${column('charge_point_id')}::text[], ${column('connector_id')}::integer[], ${column('id_tag')}::text[],
      ${column('id_tag_key')}::text[], ${column('started_at')}::text[], ${column('meter_start_wh')}::bigint[], ${column('reservation_id')}::integer[],
      ${column('authorization_status')}::text[], ${column('flags')}::text[], ${column('created_at')}::text[])
      as r(id, charge_point_id, connector_id, id_tag, id_tag_key, started_at, meter_start_wh, reservation_id, authorization_status, flags, created_at)
    on conflict (charge_point_id, connector_id, id_tag, started_at, meter_start_wh) where charger_transaction_id is null do nothing
    returning id, charge_point_id, connector_id, id_tag, started_at, meter_start_wh`;
}

type InsertedStart = { id: number; charge_point_id: string; connector_id: number; id_tag: string; started_at: string; meter_start_wh: number };

/** SQLite: the rows as ONE JSON parameter read by json_each() (one message to the SQLite thread, one prepared text). */
function insertRowsSqlite(rows: StartRow[]) {
  return sql<InsertedStart>`
    insert into transactions (charge_point_id, connector_id, id_tag, id_tag_key, started_at, meter_start_wh, reservation_id, authorization_status, flags, created_at)
    select value ->> '$.charge_point_id', value ->> '$.connector_id', value ->> '$.id_tag', value ->> '$.id_tag_key', value ->> '$.started_at',
      value ->> '$.meter_start_wh', value ->> '$.reservation_id', value ->> '$.authorization_status', value ->> '$.flags', value ->> '$.created_at'
    from json_each(${JSON.stringify(rows)}) where true
    on conflict (charge_point_id, connector_id, id_tag, started_at, meter_start_wh) where charger_transaction_id is null do nothing
    returning id, charge_point_id, connector_id, id_tag, started_at, meter_start_wh`;
}

function startRow(input: SessionStartInput, now: string) {
  return {
    charge_point_id: input.chargePointId,
    connector_id: input.connectorId,
    id_tag: input.idTag,
    id_tag_key: input.idTag.toUpperCase(),
    started_at: input.startedAt,
    meter_start_wh: input.meterStartWh,
    reservation_id: input.reservationId,
    authorization_status: input.authorizationStatus,
    flags: JSON.stringify(input.flags),
    created_at: now,
  };
}

function startKey(row: Pick<StartRow, 'charge_point_id' | 'connector_id' | 'id_tag' | 'started_at' | 'meter_start_wh'>): string {
  return JSON.stringify([row.charge_point_id, row.connector_id, row.id_tag, row.started_at, row.meter_start_wh]);
}

/** The session an earlier send of this start created: same id, and the answer it was given then. */
async function existingStart(trx: Db, input: SessionStartInput): Promise<SessionStartResult> {
  const existing = await trx
    .selectFrom('transactions')
    .select(['id', 'authorization_status'])
    .where('charge_point_id', '=', input.chargePointId)
    .where('connector_id', '=', input.connectorId)
    .where('id_tag', '=', input.idTag)
    .where('started_at', '=', input.startedAt)
    .where('meter_start_wh', '=', input.meterStartWh)
    .where('charger_transaction_id', 'is', null)
    .executeTakeFirstOrThrow();
  return { transactionId: existing.id, duplicate: true, authorizationStatus: existing.authorization_status as AuthorizationStatus };
}
