// A 2.x session event's write: the event kept once (a unique session and seqNo), the session found
// or made by the charger's transaction id (unique too), the domain's fold applied to it, its samples stored and
// its energy settled, all in one commit of the group commit. Both engines, inside the batch's transaction; on
// PostgreSQL a batch's events go together (applySessionEvents), a few statements for hundreds of events.
import { sql, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { SessionEventInput, SessionEventResult, SessionState, SettledEnergy } from '../../domain/ports.js';
import type { Database, TransactionsTable } from '../tables.js';
import type { BatchBuffers } from '../unit-of-work.js';
import { toTransaction } from './transaction-rows.js';
import { bufferMeterValues } from './transaction-writes.js';

type Trx = Transaction<Database>;
type Row = Selectable<TransactionsTable>;

/** Several events one after another, in arrival order (SQLite: a statement is a call on its thread, not a round trip). */
export async function applySessionEventsInOrder(trx: Trx, buffers: BatchBuffers, inputs: SessionEventInput[], now: string): Promise<SessionEventResult[]> {
  const results: SessionEventResult[] = [];
  for (const input of inputs) results.push(await applySessionEvent(trx, buffers, input, now));
  return results;
}

export async function applySessionEvent(trx: Trx, buffers: BatchBuffers, input: SessionEventInput, now: string): Promise<SessionEventResult> {
  let row = await findSession(trx, input);
  let created = false;
  if (!row) {
    const state = input.fold.open(input.event);
    const inserted = await trx
      .insertInto('transactions')
      .values({ ...(await settledColumns(trx, buffers, null, state, input, now)), charge_point_id: input.chargePointId, charger_transaction_id: input.chargerTransactionId, created_at: now })
      // Another process made it between our read and our write: its row is the session.
      .onConflict((oc) => oc.columns(['charge_point_id', 'charger_transaction_id']).where('charger_transaction_id', 'is not', null).doNothing())
      .returning('id')
      .executeTakeFirst();
    row = await findSession(trx, input);
    created = inserted !== undefined;
  }
  if (!row) throw new Error(`session ${input.chargerTransactionId} of ${input.chargePointId} vanished in its own commit`);
  const kept = await trx
    .insertInto('transaction_events')
    .values(eventRow(input, row.id, now))
    .onConflict((oc) => oc.columns(['transaction_id', 'seq_no']).doNothing())
    .returning('seq_no')
    .executeTakeFirst();
  if (!kept) return { transaction: toTransaction(row), duplicate: true, created: false, ended: false };
  // A session made by this event was not stopped before it, even if this event ends it.
  const wasStopped = !created && row.stopped_at !== null;
  if (!created) {
    const state = input.fold.apply(stateOf(row), input.event);
    const columns = await settledColumns(trx, buffers, row.id, state, input, row.stop_received_at ?? now);
    const changes = changedColumns(row, columns);
    if (changes.length > 0) {
      const set = Object.fromEntries(changes.map(([name]) => [name, columns[name]]));
      await trx.updateTable('transactions').set({ ...set, revision: sql`revision + 1` }).where('id', '=', row.id).execute();
      row = { ...row, ...columns, revision: row.revision + 1 };
    }
  }
  if (input.event.samples.length > 0) {
    bufferMeterValues(buffers, { chargePointId: input.chargePointId, connectorId: row.connector_id, transactionId: row.id, samples: input.event.samples }, now);
  }
  return { transaction: toTransaction(row), duplicate: false, created, ended: !wasStopped && row.stopped_at !== null };
}

/** The stored form of one event of the session `transactionId`; `payload` encoded as `encode` says (a JSON string by default). */
export function eventRow<P = string>(input: SessionEventInput, transactionId: number, now: string, encode: (payload: unknown) => P = JSON.stringify as (payload: unknown) => P) {
  return {
    charge_point_id: input.chargePointId,
    charger_transaction_id: input.chargerTransactionId,
    seq_no: input.seqNo,
    transaction_id: transactionId,
    event_type: input.event.type,
    timestamp: input.event.timestamp,
    trigger_reason: input.event.triggerReason,
    offline: input.offline ? 1 : 0,
    payload: encode(input.payload),
    received_at: now,
  };
}

function findSession(trx: Trx, input: SessionEventInput): Promise<Row | undefined> {
  return trx
    .selectFrom('transactions')
    .selectAll()
    .where('charge_point_id', '=', input.chargePointId)
    .where('charger_transaction_id', '=', input.chargerTransactionId)
    .executeTakeFirst();
}

/**
 * The session's columns once the event is folded in: an end at the latest reading, and an ended session's energy
 * when its meters cannot settle it, from the session's samples (stored, buffered earlier in this batch, and the
 * event's), read only when needed.
 */
export async function settledColumns(trx: Trx, buffers: BatchBuffers, id: number | null, folded: SessionState, input: SessionEventInput, stopReceivedAt: string | null) {
  const columns = columnsFromSamples(folded, input, null, stopReceivedAt);
  if (columns !== 'needs-samples') return columns;
  const stored = id === null ? [] : await storedSamples(trx, buffers, id, input.chargePointId);
  return columnsFromSamples(folded, input, [...stored, ...input.event.samples], stopReceivedAt) as ReturnType<typeof columnsOf>;
}

/**
 * The session's columns with `samples` (all the session has, the event's included), or without them (null) when
 * they are not needed: 'needs-samples' when they are (an end at the latest reading, energy the meters cannot settle).
 */
export function columnsFromSamples(folded: SessionState, input: SessionEventInput, samples: readonly Sample[] | null, stopReceivedAt: string | null) {
  let state = folded;
  if (input.fold.stopsAtLatestReading(state)) {
    if (samples === null) return 'needs-samples';
    state = input.fold.stopAtLatestReading(state, samples);
  }
  if (state.stoppedAt === null || state.meterStopWh === null) return columnsOf(state, null, stopReceivedAt);
  const session = { meterStartWh: state.meterStartWh, meterStopWh: state.meterStopWh, startedAt: state.startedAt, stoppedAt: state.stoppedAt };
  const fromMeters = input.settleEnergy(session, null);
  if (!fromMeters && samples === null) return 'needs-samples';
  return columnsOf(state, fromMeters ?? input.settleEnergy(session, samples ?? []) ?? { energyWh: null, flags: [] }, stopReceivedAt);
}

type Sample = Parameters<SessionEventInput['fold']['stopAtLatestReading']>[1][number];

async function storedSamples(trx: Trx, buffers: BatchBuffers, id: number, chargePointId: string): Promise<Sample[]> {
  const stored = await trx.selectFrom('meter_values').select(['timestamp', 'measurand', 'value', 'unit', 'phase']).where('transaction_id', '=', id).where('charge_point_id', '=', chargePointId).orderBy('id').execute();
  const buffered = buffers.meterValues.filter((row) => row.transaction_id === id);
  return [...stored, ...buffered.map(({ timestamp, measurand, value, unit, phase }) => ({ timestamp, measurand, value, unit: unit ?? null, phase: phase ?? null }))];
}

export function stateOf(row: Row): SessionState {
  return {
    connectorId: row.connector_id,
    evseId: row.evse_id,
    idTag: row.id_tag,
    idTokenType: row.id_token_type,
    authorizationStatus: row.authorization_status as SessionState['authorizationStatus'],
    startedAt: row.started_at,
    meterStartWh: row.meter_start_wh,
    meterStartSource: (row.meter_start_source ?? 'none') as SessionState['meterStartSource'],
    meterStartAt: row.meter_start_at,
    meterStopWh: row.meter_stop_wh,
    meterStopSource: row.meter_stop_source as SessionState['meterStopSource'],
    stoppedAt: row.stopped_at,
    stopReason: row.stop_reason,
    stopIdTag: row.stop_id_tag,
    chargingState: row.charging_state,
    triggerReason: row.trigger_reason,
    flags: JSON.parse(row.flags) as string[],
  };
}

/** `stopReceivedAt`: when the session's end was first stored (kept), or now for an end stored now. */
export function columnsOf(state: SessionState, energy: SettledEnergy | null, stopReceivedAt: string | null) {
  return {
    connector_id: state.connectorId,
    evse_id: state.evseId,
    id_tag: state.idTag,
    id_tag_key: state.idTag.toUpperCase(),
    id_token_type: state.idTokenType,
    authorization_status: state.authorizationStatus,
    started_at: state.startedAt,
    meter_start_wh: state.meterStartWh,
    meter_start_source: state.meterStartSource,
    meter_start_at: state.meterStartAt,
    meter_stop_wh: state.meterStopWh,
    meter_stop_source: state.meterStopSource,
    stopped_at: state.stoppedAt,
    stop_reason: state.stopReason,
    stop_id_tag: state.stopIdTag,
    stop_received_at: state.stoppedAt === null ? null : stopReceivedAt,
    charging_state: state.chargingState,
    trigger_reason: state.triggerReason,
    energy_wh: energy?.energyWh ?? null,
    flags: JSON.stringify([...new Set([...state.flags, ...(energy?.flags ?? [])])]),
  };
}

/** The columns a session event may change, with their types as json_to_recordset() reads them. */
export const SESSION_COLUMNS: ReadonlyArray<readonly [keyof ReturnType<typeof columnsOf>, string]> = [
  ['connector_id', 'integer'], ['evse_id', 'integer'], ['id_tag', 'text'], ['id_tag_key', 'text'], ['id_token_type', 'text'],
  ['authorization_status', 'text'], ['started_at', 'text'], ['meter_start_wh', 'bigint'], ['meter_start_source', 'text'],
  ['meter_start_at', 'text'], ['meter_stop_wh', 'bigint'],
  ['meter_stop_source', 'text'], ['stopped_at', 'text'], ['stop_reason', 'text'], ['stop_id_tag', 'text'], ['stop_received_at', 'text'],
  ['charging_state', 'text'], ['trigger_reason', 'text'], ['energy_wh', 'bigint'], ['flags', 'text'],
];

/** The session columns whose folded value differs from the stored row's: none for an event that only brings readings. */
export function changedColumns(row: Row, columns: ReturnType<typeof columnsOf>): typeof SESSION_COLUMNS {
  return SESSION_COLUMNS.filter(([name]) => row[name] !== columns[name]);
}

/**
 * PostgreSQL: one UPDATE of many sessions' `columns` (by default every column an event may change), the rows as
 * one JSON parameter, where `guard` holds (it may compare `r.revision`, each row's revision as given).
 */
export function updateSessionsStatement(
  rows: readonly Row[],
  guard: RawBuilder<unknown>,
  columns = SESSION_COLUMNS,
  /** Each row's revision as `r.revision`, when not the row's own. */
  revisions?: readonly number[],
): RawBuilder<{ id: number }> {
  const data = JSON.stringify(
    rows.map((row, i) => {
      const values: Record<string, unknown> = { id: row.id, revision: revisions?.[i] ?? row.revision };
      for (const [name] of columns) values[name] = row[name];
      return values;
    }),
  );
  const set = sql.join(columns.map(([name]) => sql`${sql.ref(name)} = r.${sql.ref(name)}`));
  const definitions = sql.raw(['"id" integer', '"revision" integer', ...columns.map(([name, type]) => `"${name}" ${type}`)].join(', '));
  return sql<{ id: number }>`update transactions as t set ${set}, revision = t.revision + 1 from json_to_recordset(${data}::json) as r(${definitions}) where t.id = r.id and t.id = any(${rows.map((row) => row.id)}::integer[]) and ${guard} returning t.id`;
}
