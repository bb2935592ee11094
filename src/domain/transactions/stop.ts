// StopTransaction: always answered, never a CALLERROR for bad data (OCPP 1.6 §4.10; CONFORMANCE 56–59).
// Unknown transactions are quarantined, repeats change nothing, and transactionData is kept as received.
import { normaliseChargerTime } from '../time.js';
import type { IdTagInfo } from '../authorization/decide.js';
import type { AuthorizationService } from '../authorization/authorization-service.js';
import type { IdTagTable } from '../authorization/id-tag-table.js';
import type { Clock, EventFactory, StopTransactionResult, TransactionRecord, TransactionRepository } from '../ports.js';
import type { ActiveSessions } from './active-sessions.js';
import { durationSeconds, isPlausibleEnergy, sessionEnergy } from './energy.js';
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
  }, deps.events && stoppedEvents(deps.events));
  if (result.outcome !== 'quarantined') deps.activeSessions.closed(result.transaction.idTag, result.transaction.id);
  if (result.outcome === 'stopped') await fallBackToMeterValues(deps.transactions, result.transaction);
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

/**
 * meterStop − meterStart that cannot be right (the meter went backwards, or more energy than any charger
 * delivers in the time): the session's energy register samples decide instead, and the session is flagged.
 * Only then is the session read back, so a normal stop costs nothing more.
 */
async function fallBackToMeterValues(transactions: TransactionRepository, stopped: TransactionRecord): Promise<void> {
  const fromMeter = stopped.meterStopWh === null ? null : stopped.meterStopWh - stopped.meterStartWh;
  if (isPlausibleEnergy(fromMeter, durationSeconds(stopped.startedAt, stopped.stoppedAt))) return;
  const detail = await transactions.get(stopped.id);
  if (!detail) return;
  const energy = sessionEnergy({ ...detail, samples: detail.meterValues });
  if (energy.energyWh !== null) return transactions.setEnergy(stopped.id, energy.energyWh, energy.flags);
  // A backwards meter is flagged and left without energy already; an absurd forward jump is not yet.
  if (fromMeter !== null && fromMeter >= 0) await transactions.setEnergy(stopped.id, null, ['meter-implausible']);
}

/** Only a stop that applied is news; a repeat or an unknown transaction changes no session. */
function stoppedEvents(events: EventFactory) {
  return (result: StopTransactionResult) =>
    result.outcome === 'stopped' ? [events.create('transaction.stopped', { ...result.transaction })] : [];
}
