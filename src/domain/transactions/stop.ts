// StopTransaction: always answered, never a CALLERROR for bad data (OCPP 1.6 §4.10; CONFORMANCE 56–59).
// Unknown transactions are quarantined, repeats change nothing, and transactionData is kept as received.
import { normaliseChargerTime } from '../time.js';
import type { IdTagInfo } from '../authorization/decide.js';
import type { AuthorizationService } from '../authorization/authorization-service.js';
import type { IdTagTable } from '../authorization/id-tag-table.js';
import type { Clock, EventFactory, StopTransactionResult, TransactionRepository } from '../ports.js';
import type { ActiveSessions } from './active-sessions.js';
import { settleStopEnergy } from './energy.js';
import { flattenMeterValues, type MeterValueInput } from './meter-values.js';

export interface StopInput {
  chargePointId: string;
  transactionId: number;
  idTag?: string;
  meterStop: number;
  timestamp: string;
  reason?: string;
  transactionData?: MeterValueInput[];
}

export interface StopAnswer {
  idTagInfo?: IdTagInfo;
  outcome: StopTransactionResult['outcome'];
}

export async function stopTransaction(
  deps: {
    transactions: TransactionRepository;
    idTags: IdTagTable;
    authorization: AuthorizationService;
    activeSessions: ActiveSessions;
    clock: Clock;
    /** transaction.stopped goes to the outbox in the same commit as the stop. */
    events?: EventFactory;
  },
  input: StopInput,
): Promise<StopAnswer> {
  const now = deps.clock.now();
  const time = normaliseChargerTime(input.timestamp, now);
  const result = await deps.transactions.stop({
    chargePointId: input.chargePointId,
    transactionId: input.transactionId,
    idTag: input.idTag ?? null,
    meterStopWh: input.meterStop,
    stoppedAt: time.iso,
    reason: input.reason ?? 'Local', // OCPP 1.6 §7.41: an omitted reason means Local
    transactionData: input.transactionData ?? null,
    // The samples the charger kept for this session become its meter values, once: a repeated stop adds none.
    samples: input.transactionData?.length ? flattenMeterValues(input.transactionData, now) : [],
    flags: time.flags,
    settleEnergy: settleStopEnergy,
  }, deps.events && stoppedEvents(deps.events));
  if (result.outcome !== 'quarantined') deps.activeSessions.closed(result.transaction.idTag, result.transaction.id);
  if (input.idTag === undefined) return { outcome: result.outcome };
  const decision = await deps.authorization.decide({
    chargePointId: input.chargePointId,
    connectorId: result.outcome === 'quarantined' ? null : result.transaction.connectorId,
    idTag: input.idTag,
    reason: 'StopTransaction',
  });
  if (result.outcome === 'stopped' && !deps.idTags.sameGroup(input.idTag, result.transaction.idTag)) {
    // Stopped by a card that is neither the starting one nor of its group (OCPP 1.6 §3.10): answered, but worth a look.
    await deps.transactions.addFlags(result.transaction.id, ['stop-tag-unrelated']);
  }
  return { outcome: result.outcome, idTagInfo: decision.info };
}

/** Only a stop that applied is news; a repeat or an unknown transaction changes no session. */
function stoppedEvents(events: EventFactory) {
  return (result: StopTransactionResult) =>
    result.outcome === 'stopped' ? [events.create('transaction.stopped', { ...result.transaction })] : [];
}
