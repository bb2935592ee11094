// A session starts: always recorded and always given a transaction id, whatever the tag's status
// (OCPP 1.6 §4.8; CONFORMANCE 53–55). A resent start gets the same id and the same answer.
import { normaliseChargerTime } from '../time.js';
import type { IdTagInfo } from '../authorization/decide.js';
import type { AuthorizationService } from '../authorization/authorization-service.js';
import type { RemoteStarts } from '../commands/remote-start.js';
import type { ActiveSessions } from './active-sessions.js';
import type { IdTagTable } from '../authorization/id-tag-table.js';
import type { Clock, DecisionReason, EventFactory, SessionStartInput, SessionStartResult, TransactionRepository } from '../ports.js';

export interface StartInput {
  chargePointId: string;
  connectorId: number;
  idTag: string;
  meterStartWh: number;
  /** The charger's own time, as it sent it. */
  timestamp: string;
  reservationId: number | null;
  /** Why the token is decided, in the contract's words (the dialect names the message that asked). */
  decisionReason: DecisionReason;
  /** Flags the dialect puts on the session, beside the domain's own (a charger whose boot was not accepted). */
  flags: readonly string[];
}

export interface StartAnswer {
  transactionId: number;
  idTagInfo: IdTagInfo;
}

/** A tag without its own limit may be in one transaction at a time (OCPP 1.6 AuthorizationStatus ConcurrentTx). */
export const DEFAULT_MAX_ACTIVE_TRANSACTIONS = 1;

export async function startTransaction(
  deps: {
    transactions: TransactionRepository;
    idTags: IdTagTable;
    authorization: AuthorizationService;
    clock: Clock;
    activeSessions: ActiveSessions;
    /** Marks the remote start this session answers, if any. */
    remoteStarts?: Pick<RemoteStarts, 'transactionStarted'>;
    /** transaction.started goes to the outbox in the same commit as the session. */
    events?: EventFactory;
  },
  input: StartInput,
): Promise<StartAnswer> {
  const now = deps.clock.now();
  // The tag is checked again here, not trusted from an earlier Authorize: it may have been blocked since (CONFORMANCE 40).
  const decision = await deps.authorization.decide({ chargePointId: input.chargePointId, connectorId: input.connectorId, idTag: input.idTag, reason: input.decisionReason });
  let idTagInfo = decision.info;
  if (idTagInfo.status === 'Accepted') {
    const limit = deps.idTags.lookup(input.idTag)?.maxActiveTransactions ?? DEFAULT_MAX_ACTIVE_TRANSACTIONS;
    if (deps.activeSessions.count(input.idTag) >= limit) idTagInfo = { ...idTagInfo, status: 'ConcurrentTx' };
  }
  const time = normaliseChargerTime(input.timestamp, now);
  const flags = [...time.flags, ...input.flags];
  if (idTagInfo.status !== 'Accepted') flags.push(`tag-${idTagInfo.status.toLowerCase()}`);
  const record: SessionStartInput = {
    chargePointId: input.chargePointId,
    connectorId: input.connectorId,
    idTag: input.idTag,
    meterStartWh: input.meterStartWh,
    startedAt: time.iso,
    reservationId: input.reservationId,
    authorizationStatus: idTagInfo.status,
    flags,
  };
  const result = await deps.transactions.start(record, deps.events && startedEvents(deps.events, record));
  if (result.duplicate && result.authorizationStatus !== idTagInfo.status) {
    // The charger already acted on the first answer: repeat it rather than contradict it.
    idTagInfo = { ...idTagInfo, status: result.authorizationStatus };
  }
  deps.activeSessions.opened(input.idTag, result.transactionId);
  // Also for a resent start: the first send may have committed and then lost its answer (and this match) to a
  // storage fault. A start request already matched is not matched again.
  if (deps.remoteStarts) {
    await deps.remoteStarts.transactionStarted({ chargePointId: input.chargePointId, connectorId: input.connectorId, idTag: input.idTag, transactionId: result.transactionId });
  }
  return { transactionId: result.transactionId, idTagInfo };
}

/** A retried start describes nothing new: no second event. */
function startedEvents(events: EventFactory, record: SessionStartInput) {
  return (result: SessionStartResult) =>
    result.duplicate
      ? []
      : [
          events.create('transaction.started', {
            transactionId: result.transactionId,
            chargePointId: record.chargePointId,
            connectorId: record.connectorId,
            idTag: record.idTag,
            meterStartWh: record.meterStartWh,
            startedAt: record.startedAt,
            authorizationStatus: result.authorizationStatus,
            flags: record.flags,
          }),
        ];
}
