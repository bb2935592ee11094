// The money-bearing writes: StartTransaction, StopTransaction and meter values. Each runs inside a
// group-commit batch (a database transaction shared with other chargers' writes) and must not assume it is alone.
import type { Transaction } from 'kysely';
import type {
  AuthorizationStatus,
  MeterValuesInput,
  StartTransactionInput,
  StartTransactionResult,
  StopTransactionInput,
  StopTransactionResult,
} from '../../domain/ports.js';
import type { Database } from '../tables.js';
import type { BatchBuffers, MeterValueRow } from '../unit-of-work.js';
import { toTransaction } from './transaction-rows.js';

type Trx = Transaction<Database>;

export async function insertStart(trx: Trx, input: StartTransactionInput, now: string): Promise<StartTransactionResult> {
  const inserted = await trx
    .insertInto('transactions')
    .values({
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
    })
    // The unique constraint, not this process's memory, recognises a resent start: it holds across restarts and processes.
    .onConflict((oc) => oc.columns(['charge_point_id', 'connector_id', 'id_tag', 'started_at', 'meter_start_wh']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { transactionId: inserted.id, duplicate: false, authorizationStatus: input.authorizationStatus };
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
    row = await trx
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

  const energy = input.meterStopWh - row.meter_start_wh;
  if (energy < 0) flags.push('meter-backwards');
  if (input.stoppedAt < row.started_at) flags.push('stop-before-start');
  const changes = {
    stopped_at: input.stoppedAt,
    meter_stop_wh: input.meterStopWh,
    energy_wh: energy < 0 ? null : energy,
    stop_reason: input.reason,
    stop_id_tag: input.idTag,
    transaction_data: input.transactionData == null ? null : JSON.stringify(input.transactionData),
    flags: JSON.stringify([...new Set([...(JSON.parse(row.flags) as string[]), ...flags])]),
    stop_received_at: now,
  };
  const updated = await trx.updateTable('transactions').set(changes).where('id', '=', row.id).where('stopped_at', 'is', null).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    // Another process stopped it between our read and our write: its stop stands.
    const current = await trx.selectFrom('transactions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    return { outcome: 'already-stopped', transaction: toTransaction(current) };
  }
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
