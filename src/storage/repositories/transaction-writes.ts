// The money-bearing writes: StartTransaction, StopTransaction and meter values. Each runs inside a
// group-commit batch (a database transaction shared with other chargers' writes) and must not assume it is alone.
import { sql, type Selectable, type Transaction } from 'kysely';
import type {
  AuthorizationStatus,
  MeterValuesInput,
  StartTransactionInput,
  StartTransactionResult,
  StopTransactionInput,
  StopTransactionResult,
} from '../../domain/ports.js';
import type { Database, TransactionsTable } from '../tables.js';
import type { BatchBuffers, MeterValueRow } from '../unit-of-work.js';
import { toTransaction } from './transaction-rows.js';

type Trx = Transaction<Database>;

export async function insertStart(trx: Trx, input: StartTransactionInput, now: string): Promise<StartTransactionResult> {
  const inserted = await trx
    .insertInto('transactions')
    .values(startRow(input, now))
    // The unique constraint, not this process's memory, recognises a resent start: it holds across restarts and processes.
    .onConflict((oc) => oc.columns(['charge_point_id', 'connector_id', 'id_tag', 'started_at', 'meter_start_wh']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { transactionId: inserted.id, duplicate: false, authorizationStatus: input.authorizationStatus };
  return existingStart(trx, input);
}

/**
 * Many starts at once (PostgreSQL): one INSERT of every row, each column an array, so a burst of starts is one
 * round trip per batch. The same unique constraint tells a resent start, which gets the id of the first.
 */
export async function insertStarts(trx: Trx, inputs: StartTransactionInput[], now: string): Promise<StartTransactionResult[]> {
  const rows = inputs.map((input) => startRow(input, now));
  const column = <K extends keyof StartRow>(key: K) => rows.map((row) => row[key]);
  const inserted = await sql<{ id: number; charge_point_id: string; connector_id: number; id_tag: string; started_at: string; meter_start_wh: number }>`
    insert into transactions (charge_point_id, connector_id, id_tag, id_tag_key, started_at, meter_start_wh, reservation_id, authorization_status, flags, created_at)
    select * from unnest(${column('charge_point_id')}::text[], ${column('connector_id')}::integer[], ${column('id_tag')}::text[],
      ${column('id_tag_key')}::text[], ${column('started_at')}::text[], ${column('meter_start_wh')}::bigint[], ${column('reservation_id')}::integer[],
      ${column('authorization_status')}::text[], ${column('flags')}::text[], ${column('created_at')}::text[])
    on conflict (charge_point_id, connector_id, id_tag, started_at, meter_start_wh) do nothing
    returning id, charge_point_id, connector_id, id_tag, started_at, meter_start_wh`.execute(trx);
  const newIds = new Map(inserted.rows.map((row) => [startKey(row), row.id]));
  const results: StartTransactionResult[] = [];
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

type StartRow = ReturnType<typeof startRow>;

function startRow(input: StartTransactionInput, now: string) {
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
async function existingStart(trx: Trx, input: StartTransactionInput): Promise<StartTransactionResult> {
  const existing = await trx
    .selectFrom('transactions')
    .select(['id', 'authorization_status'])
    .where('charge_point_id', '=', input.chargePointId)
    .where('connector_id', '=', input.connectorId)
    .where('id_tag', '=', input.idTag)
    .where('started_at', '=', input.startedAt)
    .where('meter_start_wh', '=', input.meterStartWh)
    .executeTakeFirstOrThrow();
  return { transactionId: existing.id, duplicate: true, authorizationStatus: existing.authorization_status as AuthorizationStatus };
}

/** The open session a stop with transactionId -1 or 0 means, when exactly one fits; else null. */
async function matchUnacknowledgedStop(trx: Trx, input: StopTransactionInput) {
  const open = await trx
    .selectFrom('transactions')
    .selectAll()
    .where('charge_point_id', '=', input.chargePointId)
    .where('stopped_at', 'is', null)
    .where('started_at', '<=', input.stoppedAt)
    .where('meter_start_wh', '<=', input.meterStopWh)
    .limit(2)
    .execute();
  return open.length === 1 ? open[0] : null;
}

export async function applyStop(trx: Trx, buffers: BatchBuffers, input: StopTransactionInput, now: string): Promise<StopTransactionResult> {
  const flags = [...input.flags];
  let row;
  if (input.transactionId > 0) {
    // An id beyond the key's range names no session here: quarantined, not a database error.
    row = !isStoredId(input.transactionId)
      ? undefined
      : await trx
          .selectFrom('transactions')
          .selectAll()
          .where('id', '=', input.transactionId)
          .where('charge_point_id', '=', input.chargePointId)
          .executeTakeFirst();
  } else {
    flags.push('stop-without-transaction-id');
    row = await matchUnacknowledgedStop(trx, input);
    if (!row) {
      // The same -1 stop resent after it was applied finds its session already stopped with these values.
      const applied = await trx
        .selectFrom('transactions')
        .selectAll()
        .where('charge_point_id', '=', input.chargePointId)
        .where('stopped_at', '=', input.stoppedAt)
        .where('meter_stop_wh', '=', input.meterStopWh)
        .executeTakeFirst();
      if (applied) return { outcome: 'already-stopped', transaction: toTransaction(applied) };
    }
  }
  if (!row) return { outcome: 'quarantined', orphanId: await quarantine(trx, input, flags, now) };
  if (row.stopped_at !== null) return { outcome: 'already-stopped', transaction: toTransaction(row) };
  const changes = stopChanges(row, input, flags, now);
  const updated = await trx.updateTable('transactions').set(changes).where('id', '=', row.id).where('stopped_at', 'is', null).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return stoppedElsewhere(trx, row.id);
  return stopped(buffers, input, row, changes, now);
}

/**
 * Many stops at once (PostgreSQL): one read of every session they name and one UPDATE for all of them, so a
 * burst of stops costs two round trips per batch instead of two per stop. Each stop's outcome is the one
 * applyStop would give it; the rare cases (-1 stops, unknown sessions) take applyStop's own path.
 */
export async function applyStops(trx: Trx, buffers: BatchBuffers, inputs: StopTransactionInput[], now: string): Promise<StopTransactionResult[]> {
  const ids = [...new Set(inputs.map((input) => input.transactionId).filter(isStoredId))];
  const rows = ids.length === 0 ? [] : await trx.selectFrom('transactions').selectAll().where('id', 'in', ids).execute();
  const sessions = new Map(rows.map((row) => [row.id, row]));
  const results: StopTransactionResult[] = new Array(inputs.length);
  const updates: Array<{ index: number; row: Row; changes: StopChanges }> = [];
  for (const [index, input] of inputs.entries()) {
    const row = sessions.get(input.transactionId);
    if (input.transactionId <= 0 || !row || row.charge_point_id !== input.chargePointId) {
      results[index] = await applyStop(trx, buffers, input, now);
    } else if (row.stopped_at !== null) {
      results[index] = { outcome: 'already-stopped', transaction: toTransaction(row) };
    } else {
      const changes = stopChanges(row, input, [...input.flags], now);
      // A second stop of the same session in this batch finds it stopped by the first.
      sessions.set(row.id, { ...row, ...changes });
      updates.push({ index, row, changes });
    }
  }
  if (updates.length === 0) return results;
  const column = <K extends keyof StopChanges>(key: K) => updates.map((u) => u.changes[key]);
  const applied = await sql<{ id: number }>`update transactions as t set
      stopped_at = u.stopped_at, meter_stop_wh = u.meter_stop_wh, energy_wh = u.energy_wh, stop_reason = u.stop_reason,
      stop_id_tag = u.stop_id_tag, transaction_data = u.transaction_data, flags = u.flags, stop_received_at = u.stop_received_at
    from unnest(${updates.map((u) => u.row.id)}::integer[], ${column('stopped_at')}::text[], ${column('meter_stop_wh')}::bigint[],
      ${column('energy_wh')}::bigint[], ${column('stop_reason')}::text[], ${column('stop_id_tag')}::text[],
      ${column('transaction_data')}::text[], ${column('flags')}::text[], ${column('stop_received_at')}::text[])
      as u(id, stopped_at, meter_stop_wh, energy_wh, stop_reason, stop_id_tag, transaction_data, flags, stop_received_at)
    where t.id = u.id and t.stopped_at is null
    returning t.id`.execute(trx);
  const updated = new Set(applied.rows.map((r) => r.id));
  for (const { index, row, changes } of updates) {
    results[index] = updated.has(row.id) ? stopped(buffers, inputs[index], row, changes, now) : await stoppedElsewhere(trx, row.id);
  }
  return results;
}

type Row = Selectable<TransactionsTable>;
type StopChanges = ReturnType<typeof stopChanges>;

/** A transaction id that can name a stored session: the serial key is a 32-bit integer. */
function isStoredId(id: number): boolean {
  return Number.isInteger(id) && id > 0 && id <= 2_147_483_647;
}

function stopChanges(row: Row, input: StopTransactionInput, flags: string[], now: string) {
  const energy = input.meterStopWh - row.meter_start_wh;
  if (energy < 0) flags.push('meter-backwards');
  if (input.stoppedAt < row.started_at) flags.push('stop-before-start');
  return {
    stopped_at: input.stoppedAt,
    meter_stop_wh: input.meterStopWh,
    energy_wh: energy < 0 ? null : energy,
    stop_reason: input.reason,
    stop_id_tag: input.idTag,
    transaction_data: input.transactionData == null ? null : JSON.stringify(input.transactionData),
    flags: JSON.stringify([...new Set([...(JSON.parse(row.flags) as string[]), ...flags])]),
    stop_received_at: now,
  };
}

/** Another process stopped it between our read and our write: its stop stands. */
async function stoppedElsewhere(trx: Trx, id: number): Promise<StopTransactionResult> {
  const current = await trx.selectFrom('transactions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { outcome: 'already-stopped', transaction: toTransaction(current) };
}

function stopped(buffers: BatchBuffers, input: StopTransactionInput, row: Row, changes: StopChanges, now: string): StopTransactionResult {
  if (input.samples.length > 0) {
    bufferMeterValues(buffers, { chargePointId: input.chargePointId, connectorId: row.connector_id, transactionId: row.id, samples: input.samples }, now);
  }
  return { outcome: 'stopped', transaction: toTransaction({ ...row, ...changes }) };
}

async function quarantine(trx: Trx, input: StopTransactionInput, flags: string[], now: string): Promise<number> {
  const inserted = await trx
    .insertInto('orphan_stops')
    .values({
      charge_point_id: input.chargePointId,
      transaction_id: input.transactionId,
      id_tag: input.idTag,
      meter_stop_wh: input.meterStopWh,
      stopped_at: input.stoppedAt,
      reason: input.reason,
      transaction_data: input.transactionData == null ? null : JSON.stringify(input.transactionData),
      flags: JSON.stringify(flags),
      received_at: now,
    })
    .onConflict((oc) => oc.columns(['charge_point_id', 'transaction_id', 'stopped_at', 'meter_stop_wh']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return inserted.id;
  const existing = await trx
    .selectFrom('orphan_stops')
    .select('id')
    .where('charge_point_id', '=', input.chargePointId)
    .where('transaction_id', '=', input.transactionId)
    .where('stopped_at', '=', input.stoppedAt)
    .where('meter_stop_wh', '=', input.meterStopWh)
    .executeTakeFirstOrThrow();
  return existing.id;
}

/** Queues the samples for the batch's bulk insert. A resent MeterValues is stored again and collapsed on read. */
export function bufferMeterValues(buffers: BatchBuffers, input: MeterValuesInput, now: string): void {
  for (const s of input.samples) {
    buffers.meterValues.push({
      transaction_id: input.transactionId,
      charge_point_id: input.chargePointId,
      connector_id: input.connectorId,
      timestamp: s.timestamp,
      measurand: s.measurand,
      value: s.value,
      unit: s.unit,
      phase: s.phase,
      context: s.context,
      location: s.location,
      format: s.format,
      received_at: now,
    } satisfies MeterValueRow);
  }
}

export async function addFlags(trx: Trx, id: number, flags: string[]): Promise<void> {
  const row = await trx.selectFrom('transactions').select('flags').where('id', '=', id).executeTakeFirst();
  if (!row) return;
  const merged = [...new Set([...(JSON.parse(row.flags) as string[]), ...flags])];
  await trx.updateTable('transactions').set({ flags: JSON.stringify(merged) }).where('id', '=', id).execute();
}

/** The energy of a stopped session taken from its meter values, with the flags that say so. */
export async function setEnergy(trx: Trx, id: number, energyWh: number | null, flags: string[]): Promise<void> {
  await addFlags(trx, id, flags);
  await trx.updateTable('transactions').set({ energy_wh: energyWh }).where('id', '=', id).where('stopped_at', 'is not', null).execute();
}
