// Row ↔ record mapping for transactions and meter values.
import type { Selectable } from 'kysely';
import type { AuthorizationStatus, MeterValueRecord, TransactionRecord } from '../../domain/ports.js';
import type { MeterValuesTable, TransactionsTable } from '../tables.js';

export function toTransaction(row: Selectable<TransactionsTable>): TransactionRecord {
  return {
    id: row.id,
    chargePointId: row.charge_point_id,
    connectorId: row.connector_id,
    idTag: row.id_tag,
    startedAt: row.started_at,
    stoppedAt: row.stopped_at,
    meterStartWh: row.meter_start_wh,
    meterStopWh: row.meter_stop_wh,
    energyWh: row.energy_wh,
    stopReason: row.stop_reason,
    stopIdTag: row.stop_id_tag,
    status: row.stopped_at === null ? 'Active' : 'Completed',
    authorizationStatus: row.authorization_status as AuthorizationStatus,
    flags: JSON.parse(row.flags) as string[],
    evseId: row.evse_id,
    chargerTransactionId: row.charger_transaction_id ?? row.id,
    idTokenType: row.id_token_type,
  };
}

export function toMeterValue(row: Selectable<MeterValuesTable>): MeterValueRecord {
  return {
    timestamp: row.timestamp,
    measurand: row.measurand,
    value: row.value,
    unit: row.unit,
    phase: row.phase,
    context: row.context,
    location: row.location,
  };
}
