// The money-bearing writes: StartTransaction, StopTransaction and meter values. Each runs inside a
// group-commit batch (a database transaction shared with other chargers' writes) and must not assume it is alone.
import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type {
  AuthorizationStatus,
  MeterValuesInput,
  StartTransactionInput,
  StartTransactionResult,
  SettledEnergy,
  StopTransactionInput,
  StopTransactionResult,
} from '../../domain/ports.js';
import type { Database, TransactionsTable } from '../tables.js';
import type { BatchBuffers, Guard, MeterValueRow } from '../unit-of-work.js';
import { toTransaction } from './transaction-rows.js';

type Trx = Transaction<Database>;
type Db = Kysely<Database>;

/**
 * A batch's session writes planned as one CTE of its single statement (PostgreSQL), with each input's result
 * as it will be if its write applies. `guardId` is the id the CTE returns then, for the rows that go with it
 * (its event, its samples); null when the input writes nothing. finish() turns the ids that did apply into the
 * results, reading back an input whose write did not (another process got there first).
 */
export interface WritePlan<R> {
  cte: RawBuilder<unknown>;
  predicted: Array<{ result: R; guardId: number | null }>;
  finish(applied: Set<number>): Promise<R[]>;
}

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

/**
 * The starts of a batch as one INSERT, with ids taken from the sequence beforehand so the answers and events
 * can be built before the statement runs. Null when one start appears twice in the batch (the transaction handles it).
 */
export function planStarts(db: Db, inputs: StartTransactionInput[], ids: number[], now: string): WritePlan<StartTransactionResult> | null {
  const rows = inputs.map((input, i) => ({ id: ids[i], ...startRow(input, now) }));
  if (new Set(rows.map(startKey)).size !== rows.length) return null;
  const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((row) => row[key]);
  const cte = sql`insert into transactions (id, charge_point_id, connector_id, id_tag, id_tag_key, started_at, meter_start_wh, reservation_id, authorization_status, flags, created_at)
    select * from unnest(${column('id')}::integer[], ${column('charge_point_id')}::text[], ${column('connector_id')}::integer[], ${column('id_tag')}::text[],
      ${column('id_tag_key')}::text[], ${column('started_at')}::text[], ${column('meter_start_wh')}::bigint[], ${column('reservation_id')}::integer[],
      ${column('authorization_status')}::text[], ${column('flags')}::text[], ${column('created_at')}::text[])
    on conflict (charge_point_id, connector_id, id_tag, started_at, meter_start_wh) do nothing
    returning id`;
  const predicted = inputs.map((input, i) => ({
    result: { transactionId: ids[i], duplicate: false, authorizationStatus: input.authorizationStatus } as StartTransactionResult,
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
async function existingStart(trx: Db, input: StartTransactionInput): Promise<StartTransactionResult> {
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
  const changes = stopChanges(row, input, flags, await settleEnergy(trx, row, input), now);
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
      const changes = stopChanges(row, input, [...input.flags], await settleEnergy(trx, row, input), now);
      // A second stop of the same session in this batch finds it stopped by the first.
      sessions.set(row.id, { ...row, ...changes });
      updates.push({ index, row, changes });
    }
  }
  if (updates.length === 0) return results;
  const applied = await updateStops(updates).execute(trx);
  const updated = new Set(applied.rows.map((r) => r.id));
  for (const { index, row, changes } of updates) {
    results[index] = updated.has(row.id) ? stopped(buffers, inputs[index], row, changes, now) : await stoppedElsewhere(trx, row.id);
  }
  return results;
}

/**
 * The stops of a batch as one UPDATE, the sessions read first: the same outcomes as applyStops, guarded by
 * `stopped_at is null` in the statement itself. Null when a stop needs applyStop's rare paths (-1, unknown).
 */
export async function planStops(db: Db, buffers: BatchBuffers, inputs: StopTransactionInput[], now: string, cte: string): Promise<WritePlan<StopTransactionResult> | null> {
  if (!inputs.every((input) => isStoredId(input.transactionId))) return null;
  const rows = await db.selectFrom('transactions').selectAll().where('id', 'in', [...new Set(inputs.map((input) => input.transactionId))]).execute();
  const sessions = new Map(rows.map((row) => [row.id, row]));
  const predicted: WritePlan<StopTransactionResult>['predicted'] = [];
  const updates: Array<{ row: Row; changes: StopChanges }> = [];
  /** Inputs whose outcome depends on another stop of the same session in this batch applying. */
  const dependsOnBatch = new Set<number>();
  for (const [index, input] of inputs.entries()) {
    const row = sessions.get(input.transactionId);
    if (!row || row.charge_point_id !== input.chargePointId) return null;
    if (row.stopped_at !== null) {
      if (updates.some((u) => u.row.id === row.id)) dependsOnBatch.add(index);
      predicted.push({ result: { outcome: 'already-stopped', transaction: toTransaction(row) }, guardId: null });
      continue;
    }
    // Energy that needs the session's samples is settled inside a transaction instead.
    const energy = settleFromMeters(row, input);
    if (!energy) return null;
    const changes = stopChanges(row, input, [...input.flags], energy, now);
    sessions.set(row.id, { ...row, ...changes });
    updates.push({ row, changes });
    if (input.samples.length > 0) {
      bufferMeterValues(buffers, { chargePointId: input.chargePointId, connectorId: row.connector_id, transactionId: row.id, samples: input.samples }, now, { cte, id: row.id });
    }
    predicted.push({ result: { outcome: 'stopped', transaction: toTransaction({ ...row, ...changes }) }, guardId: row.id });
  }
  return {
    cte: updates.length === 0 ? sql`select null::integer as id where false` : updateStops(updates),
    predicted,
    finish: (applied) =>
      Promise.all(
        predicted.map(({ result, guardId }, index) => {
          const id = result.outcome === 'quarantined' ? null : result.transaction.id;
          const held = guardId === null ? !dependsOnBatch.has(index) || applied.has(id!) : applied.has(guardId);
          return held ? result : stoppedElsewhere(db, id!);
        }),
      ),
  };
}

/** One UPDATE for many stops, each applied only to a session still open. */
function updateStops(updates: Array<{ row: Row; changes: StopChanges }>): RawBuilder<{ id: number }> {
  const column = <K extends keyof StopChanges>(key: K) => updates.map((u) => u.changes[key]);
  return sql<{ id: number }>`update transactions as t set
      stopped_at = u.stopped_at, meter_stop_wh = u.meter_stop_wh, energy_wh = u.energy_wh, stop_reason = u.stop_reason,
      stop_id_tag = u.stop_id_tag, transaction_data = u.transaction_data, flags = u.flags, stop_received_at = u.stop_received_at
    from unnest(${updates.map((u) => u.row.id)}::integer[], ${column('stopped_at')}::text[], ${column('meter_stop_wh')}::bigint[],
      ${column('energy_wh')}::bigint[], ${column('stop_reason')}::text[], ${column('stop_id_tag')}::text[],
      ${column('transaction_data')}::text[], ${column('flags')}::text[], ${column('stop_received_at')}::text[])
      as u(id, stopped_at, meter_stop_wh, energy_wh, stop_reason, stop_id_tag, transaction_data, flags, stop_received_at)
    where t.id = u.id and t.stopped_at is null
    returning t.id`;
}

type Row = Selectable<TransactionsTable>;
type StopChanges = ReturnType<typeof stopChanges>;

/** A transaction id that can name a stored session: the serial key is a 32-bit integer. */
function isStoredId(id: number): boolean {
  return Number.isInteger(id) && id > 0 && id <= 2_147_483_647;
}

/** meterStop − meterStart as the domain judges it from the meters alone; null: the samples must decide. */
function settleFromMeters(row: Row, input: StopTransactionInput): SettledEnergy | null {
  return input.settleEnergy({ meterStartWh: row.meter_start_wh, meterStopWh: input.meterStopWh, startedAt: row.started_at, stoppedAt: input.stoppedAt }, null);
}

/** The stop's energy, reading the session's stored samples (and taking the stop's own) only when the meters are not enough. */
async function settleEnergy(trx: Db, row: Row, input: StopTransactionInput): Promise<SettledEnergy> {
  const fromMeters = settleFromMeters(row, input);
  if (fromMeters) return fromMeters;
  const stored = await trx
    .selectFrom('meter_values')
    .select(['timestamp', 'measurand', 'value', 'unit', 'phase'])
    .where('transaction_id', '=', row.id)
    .where('charge_point_id', '=', row.charge_point_id)
    .execute();
  const session = { meterStartWh: row.meter_start_wh, meterStopWh: input.meterStopWh, startedAt: row.started_at, stoppedAt: input.stoppedAt };
  return input.settleEnergy(session, [...stored, ...input.samples]) ?? { energyWh: null, flags: [] };
}

function stopChanges(row: Row, input: StopTransactionInput, flags: string[], energy: SettledEnergy, now: string) {
  flags.push(...energy.flags);
  if (input.stoppedAt < row.started_at) flags.push('stop-before-start');
  return {
    stopped_at: input.stoppedAt,
    meter_stop_wh: input.meterStopWh,
    energy_wh: energy.energyWh,
    stop_reason: input.reason,
    stop_id_tag: input.idTag,
    transaction_data: input.transactionData == null ? null : JSON.stringify(input.transactionData),
    flags: JSON.stringify([...new Set([...(JSON.parse(row.flags) as string[]), ...flags])]),
    stop_received_at: now,
  };
}

/** Another process stopped it between our read and our write: its stop stands. */
async function stoppedElsewhere(trx: Db, id: number): Promise<StopTransactionResult> {
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
export function bufferMeterValues(buffers: BatchBuffers, input: MeterValuesInput, now: string, guard?: Guard): void {
  for (const s of input.samples) {
    const row = {
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
    } satisfies MeterValueRow;
    buffers.meterValues.push(row);
    if (guard) buffers.guard(row, guard);
  }
}

export async function addFlags(trx: Trx, id: number, flags: string[]): Promise<void> {
  const row = await trx.selectFrom('transactions').select('flags').where('id', '=', id).executeTakeFirst();
  if (!row) return;
  const merged = [...new Set([...(JSON.parse(row.flags) as string[]), ...flags])];
  await trx.updateTable('transactions').set({ flags: JSON.stringify(merged) }).where('id', '=', id).execute();
}
