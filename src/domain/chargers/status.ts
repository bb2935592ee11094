// A connector's status report: its current state and its history, with the charger's time when it gave one.
import { normaliseChargerTime } from '../time.js';
import type { ChargePointRepository, Clock, EventFactory, StatusRecordInput } from '../ports.js';

export interface StatusInput {
  chargePointId: string;
  /** The connector's EVSE (2.x); null where connectors stand alone. */
  evseId: number | null;
  connectorId: number;
  status: string;
  errorCode: string;
  info?: string;
  vendorId?: string;
  vendorErrorCode?: string;
  timestamp?: string;
}

export async function recordConnectorStatus(
  deps: { chargePoints: Pick<ChargePointRepository, 'recordStatus'>; clock: Clock; events?: EventFactory },
  input: StatusInput,
): Promise<void> {
  const now = deps.clock.now();
  const time = input.timestamp ? normaliseChargerTime(input.timestamp, now) : null;
  const record: StatusRecordInput = {
    chargePointId: input.chargePointId,
    evseId: input.evseId,
    connectorId: input.connectorId,
    status: input.status,
    errorCode: input.errorCode,
    info: input.info ?? null,
    vendorId: input.vendorId ?? null,
    vendorErrorCode: input.vendorErrorCode ?? null,
    timestamp: time && time.plausible ? time.iso : now.toISOString(),
  };
  const events = deps.events;
  // Only news goes out: a charger repeating its status (after a reconnect, or a TriggerMessage) changes nothing.
  await deps.chargePoints.recordStatus(record, events && ((changed) => (changed ? [events.create('charge_point.status_changed', { ...record })] : [])));
}
