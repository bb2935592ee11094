// A session ends: always answered, never refused for bad data (OCPP 1.6 §4.10; CONFORMANCE 56–59). Unknown
// sessions are quarantined, repeats change nothing, and the charger's own record of the session is kept as received.
import { normaliseChargerTime } from '../time.js';
import type { IdTagInfo } from '../authorization/decide.js';
import type { AuthorizationService } from '../authorization/authorization-service.js';
import type { IdTagTable } from '../authorization/id-tag-table.js';
import type { Clock, DecisionReason, EventFactory, MeterSampleInput, SessionStopResult, TransactionRepository } from '../ports.js';
import type { ActiveSessions } from './active-sessions.js';
import { settleStopEnergy } from './energy.js';

export interface StopInput {
  chargePointId: string;
  transactionId: number;
  /** The token that ended the session, when the charger names one. */
  idTag?: string;
  meterStopWh: number;
  /** The charger's own time, as it sent it. */
  timestamp: string;
  /** Why it ended, in the dialect's words (its default already applied). */
  reason: string;
  /** The charger's own record of the session's meter values as it sent it (kept), or null. */
  transactionData: unknown;
  /** Those meter values as samples: they become the session's own, once (a repeated stop adds none). */
  samples: MeterSampleInput[];
  /** Why the stopping token is decided, in the contract's words (the dialect names the message that asked). */
  decisionReason: DecisionReason;
  /** Flags the dialect puts on the session, beside the domain's own (a charger whose boot was not accepted). */
  flags: readonly string[];
}

export interface StopAnswer {
  idTagInfo?: IdTagInfo;
  outcome: SessionStopResult['outcome'];
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
    meterStopWh: input.meterStopWh,
    stoppedAt: time.iso,
    reason: input.reason,
    transactionData: input.transactionData,
    samples: input.samples,
    flags: [...time.flags, ...input.flags],
    settleEnergy: settleStopEnergy,
  }, deps.events && stoppedEvents(deps.events));
  if (result.outcome !== 'quarantined') deps.activeSessions.closed(result.transaction.idTag, result.transaction.id);
  if (input.idTag === undefined) return { outcome: result.outcome };
  const decision = await deps.authorization.decide({
    chargePointId: input.chargePointId,
    connectorId: result.outcome === 'quarantined' ? null : result.transaction.connectorId,
    idTag: input.idTag,
    reason: input.decisionReason,
    whitelistOnly: true,
  });
  if (result.outcome === 'stopped' && !deps.idTags.sameGroup(input.idTag, result.transaction.idTag)) {
    // Stopped by a card that is neither the starting one nor of its group (OCPP 1.6 §3.10): answered, but worth a look.
    await deps.transactions.addFlags(result.transaction.id, ['stop-tag-unrelated']);
  }
  return { outcome: result.outcome, idTagInfo: decision.info };
}

/** Only a stop that applied is news; a repeat or an unknown transaction changes no session. */
function stoppedEvents(events: EventFactory) {
  return (result: SessionStopResult) =>
    result.outcome === 'stopped' ? [events.create('transaction.stopped', { ...result.transaction })] : [];
}
