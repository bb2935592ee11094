// StopTransaction's write: applied once to its session, a repeat changes nothing, an unknown one is
// quarantined, and its energy is settled in the same commit. Runs inside a group-commit batch; on PostgreSQL
// a batch's stops of known sessions go as one UPDATE.
import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { SettledEnergy, SessionStopInput, SessionStopResult } from '../../domain/ports.js';
import type { Database, TransactionsTable } from '../tables.js';
import type { BatchBuffers } from '../unit-of-work.js';
import { toTransaction } from './transaction-rows.js';
import { bufferMeterValues, type WritePlan } from './transaction-writes.js';

type Trx = Transaction<Database>;
type Db = Kysely<Database>;

/** The open session a stop with transactionId -1 or 0 means, when exactly one fits; else null. */
async function matchUnacknowledgedStop(trx: Trx, input: SessionStopInput) {
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

export async function applyStop(trx: Trx, buffers: BatchBuffers, input: SessionStopInput, now: string): Promise<SessionStopResult> {
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
  const updated = await trx.updateTable('transactions').set({ ...changes, revision: sql`revision + 1` }).where('id', '=', row.id).where('stopped_at', 'is', null).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return stoppedElsewhere(trx, row.id);
  return stopped(buffers, input, row, changes, now);
}

/**
 * Many stops at once: one read of every session they name and one UPDATE for all of them, so a burst of stops
 * costs two statements per batch instead of two per stop (round trips to PostgreSQL, messages to the SQLite thread). Each stop's outcome is the one
 * applyStop would give it; the rare cases (-1 stops, unknown sessions) take applyStop's own path.
 */
export async function applyStops(trx: Trx, buffers: BatchBuffers, inputs: SessionStopInput[], now: string, dialect: 'sqlite' | 'postgres'): Promise<SessionStopResult[]> {
  const sessions = await readSessions(trx, inputs);
  const results: SessionStopResult[] = new Array(inputs.length);
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
  const applied = await (dialect === 'postgres' ? updateStops(updates) : updateStopsSqlite(updates)).execute(trx);
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
export async function planStops(db: Db, buffers: BatchBuffers, inputs: SessionStopInput[], now: string, cte: string): Promise<WritePlan<SessionStopResult> | null> {
  if (!inputs.every((input) => isStoredId(input.transactionId))) return null;
  const sessions = await readSessions(db, inputs);
  const predicted: WritePlan<SessionStopResult>['predicted'] = [];
  const updates: Array<{ row: Row; changes: StopChanges }> = [];
  /** Inputs whose outcome depends on another stop of the same session in this batch applying. */
  const dependsOnBatch = new Set<number>();
  const stoppedInBatch = new Set<number>();
  for (const [index, input] of inputs.entries()) {
    const row = sessions.get(input.transactionId);
    if (!row || row.charge_point_id !== input.chargePointId) return null;
    if (row.stopped_at !== null) {
      if (stoppedInBatch.has(row.id)) dependsOnBatch.add(index);
      predicted.push({ result: { outcome: 'already-stopped', transaction: toTransaction(row) }, guardId: null });
      continue;
    }
    // Energy that needs the session's samples is settled inside a transaction instead.
    const energy = settleFromMeters(row, input);
    if (!energy) return null;
    const changes = stopChanges(row, input, [...input.flags], energy, now);
    sessions.set(row.id, { ...row, ...changes });
    stoppedInBatch.add(row.id);
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

/** The sessions a batch's stops name, by id, in one read. */
async function readSessions(db: Db, inputs: SessionStopInput[]): Promise<Map<number, Row>> {
  const ids = [...new Set(inputs.map((input) => input.transactionId).filter(isStoredId))];
  const rows = ids.length === 0 ? [] : await db.selectFrom('transactions').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** One UPDATE for many stops, each applied only to a session still open. */
function updateStops(updates: Array<{ row: Row; changes: StopChanges }>): RawBuilder<{ id: number }> {
  const column = <K extends keyof StopChanges>(key: K) => updates.map((u) => u.changes[key]);
  return sql<{ id: number }>`update transactions as t set
      stopped_at = u.stopped_at, meter_stop_wh = u.meter_stop_wh, energy_wh = u.energy_wh, stop_reason = u.stop_reason,
      stop_id_tag = u.stop_id_tag, transaction_data = u.transaction_data, flags = u.flags, stop_received_at = u.stop_received_at,
      revision = t.revision + 1
    from unnest(${updates.map((u) => u.row.id)}::integer[], ${column('stopped_at')}::text[], ${column('meter_stop_wh')}::bigint[],
      ${column('energy_wh')}::bigint[], ${column('stop_reason')}::text[], ${column('stop_id_tag')}::text[],
      ${column('transaction_data')}::text[], ${column('flags')}::text[], ${column('stop_received_at')}::text[])
      as u(id, stopped_at, meter_stop_wh, energy_wh, stop_reason, stop_id_tag, transaction_data, flags, stop_received_at)
    where t.id = u.id and t.stopped_at is null
    returning t.id`;
}

/** SQLite: the same UPDATE, the changes as ONE JSON parameter read by json_each(). */
function updateStopsSqlite(updates: Array<{ row: Row; changes: StopChanges }>): RawBuilder<{ id: number }> {
  const rows = updates.map((u) => ({ id: u.row.id, ...u.changes }));
  return sql<{ id: number }>`update transactions set
      stopped_at = u.stopped_at, meter_stop_wh = u.meter_stop_wh, energy_wh = u.energy_wh, stop_reason = u.stop_reason,
      stop_id_tag = u.stop_id_tag, transaction_data = u.transaction_data, flags = u.flags, stop_received_at = u.stop_received_at,
      revision = transactions.revision + 1
    from (select value ->> '$.id' as id, value ->> '$.stopped_at' as stopped_at, value ->> '$.meter_stop_wh' as meter_stop_wh,
        value ->> '$.energy_wh' as energy_wh, value ->> '$.stop_reason' as stop_reason, value ->> '$.stop_id_tag' as stop_id_tag,
        value ->> '$.transaction_data' as transaction_data, value ->> '$.flags' as flags, value ->> '$.stop_received_at' as stop_received_at
      from json_each(${JSON.stringify(rows)})) as u
    where transactions.id = u.id and transactions.stopped_at is null
    returning transactions.id as id`;
}

type Row = Selectable<TransactionsTable>;
type StopChanges = ReturnType<typeof stopChanges>;

/** A transaction id that can name a stored session: the serial key is a 32-bit integer. */
function isStoredId(id: number): boolean {
  return Number.isInteger(id) && id > 0 && id <= 2_147_483_647;
}

/** meterStop − meterStart as the domain judges it from the meters alone; null: the samples must decide. */
function settleFromMeters(row: Row, input: SessionStopInput): SettledEnergy | null {
  return input.settleEnergy({ meterStartWh: row.meter_start_wh, meterStopWh: input.meterStopWh, startedAt: row.started_at, stoppedAt: input.stoppedAt }, null);
}

/** The stop's energy, reading the session's stored samples (and taking the stop's own) only when the meters are not enough. */
async function settleEnergy(trx: Db, row: Row, input: SessionStopInput): Promise<SettledEnergy> {
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

function stopChanges(row: Row, input: SessionStopInput, flags: string[], energy: SettledEnergy, now: string) {
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
async function stoppedElsewhere(trx: Db, id: number): Promise<SessionStopResult> {
  const current = await trx.selectFrom('transactions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { outcome: 'already-stopped', transaction: toTransaction(current) };
}

function stopped(buffers: BatchBuffers, input: SessionStopInput, row: Row, changes: StopChanges, now: string): SessionStopResult {
  if (input.samples.length > 0) {
    bufferMeterValues(buffers, { chargePointId: input.chargePointId, connectorId: row.connector_id, transactionId: row.id, samples: input.samples }, now);
  }
  return { outcome: 'stopped', transaction: toTransaction({ ...row, ...changes }) };
}

async function quarantine(trx: Trx, input: SessionStopInput, flags: string[], now: string): Promise<number> {
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
