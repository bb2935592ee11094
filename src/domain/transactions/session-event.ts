// One event of a session that the charger names and numbers itself (2.x TransactionEvent; CONFORMANCE 64–65):
// always recorded before it is answered, each seqNo once, in any order; the token it presents is decided by the
// same authorization as every other (whitelist, ConcurrentTx, the operator's authorizer), and a resent event
// gets the answer the first one got. The events make one session, as a 1.x start and stop do.
import type { IdTagInfo } from '../authorization/decide.js';
import type { AuthorizationService } from '../authorization/authorization-service.js';
import type { IdTagTable } from '../authorization/id-tag-table.js';
import type { RemoteStarts } from '../commands/remote-start.js';
import type { Clock, DecisionReason, EventFactory, MeterSampleInput, SessionEventResult, SessionEventType, TransactionRepository } from '../ports.js';
import { normaliseChargerTime } from '../time.js';
import type { ActiveSessions } from './active-sessions.js';
import { settleStopEnergy } from './energy.js';
import { sessionFold } from './session-fold.js';
import { DEFAULT_MAX_ACTIVE_TRANSACTIONS } from './start.js';

export interface SessionEventRequest {
  chargePointId: string;
  chargerTransactionId: string;
  seqNo: number;
  type: SessionEventType;
  /** The charger's own time, as it sent it. */
  timestamp: string;
  triggerReason: string;
  offline: boolean;
  evseId: number | null;
  connectorId: number | null;
  token: { idTag: string; type: string | null } | null;
  chargingState: string | null;
  /** Why the session ended, in the dialect's words with its default applied; null unless it ended. */
  stopReason: string | null;
  samples: MeterSampleInput[];
  /** The remote start this session answers, as the charger echoes it. */
  remoteStartId: number | null;
  /** The message as received. */
  payload: unknown;
  /** Why the presented token is decided, in the contract's words (the dialect names the message that asked). */
  decisionReason: DecisionReason;
  /** The session ends with this event: the token's standing is all that is asked (no authorizer). */
  whitelistOnly: boolean;
  /** Flags the dialect puts on the session, beside the domain's own (a station whose boot was not accepted). */
  flags: readonly string[];
}

export interface SessionEventAnswer {
  transactionId: number;
  /** The decision on the token the event presented; null when it presented none. */
  tokenInfo: IdTagInfo | null;
}

export interface SessionEventDeps {
  transactions: TransactionRepository;
  idTags: IdTagTable;
  authorization: AuthorizationService;
  activeSessions: ActiveSessions;
  clock: Clock;
  remoteStarts?: Pick<RemoteStarts, 'transactionStarted'>;
  events?: EventFactory;
}

export async function recordSessionEvent(deps: SessionEventDeps, input: SessionEventRequest): Promise<SessionEventAnswer> {
  const now = deps.clock.now();
  const time = normaliseChargerTime(input.timestamp, now);
  let tokenInfo: IdTagInfo | null = null;
  if (input.token) {
    const decision = await deps.authorization.decide({
      chargePointId: input.chargePointId,
      connectorId: input.connectorId,
      idTag: input.token.idTag,
      idTokenType: input.token.type,
      reason: input.decisionReason,
      whitelistOnly: input.whitelistOnly,
    });
    tokenInfo = decision.info;
    if (input.type === 'started' && tokenInfo.status === 'Accepted') {
      const limit = deps.idTags.lookup(input.token.idTag)?.maxActiveTransactions ?? DEFAULT_MAX_ACTIVE_TRANSACTIONS;
      if (deps.activeSessions.count(input.token.idTag) >= limit) tokenInfo = { ...tokenInfo, status: 'ConcurrentTx' };
    }
  }
  const result = await deps.transactions.recordEvent(
    {
      chargePointId: input.chargePointId,
      chargerTransactionId: input.chargerTransactionId,
      seqNo: input.seqNo,
      event: {
        type: input.type,
        timestamp: time.iso,
        evseId: input.evseId,
        connectorId: input.connectorId,
        token: input.token && tokenInfo ? { ...input.token, status: tokenInfo.status } : null,
        chargingState: input.chargingState,
        triggerReason: input.triggerReason,
        stopReason: input.stopReason,
        samples: input.samples,
        flags: [...time.flags, ...(input.offline ? ['offline'] : []), ...input.flags],
      },
      offline: input.offline,
      payload: input.payload,
      fold: sessionFold,
      settleEnergy: settleStopEnergy,
    },
    deps.events && eventsOf(deps.events, input),
  );
  const session = result.transaction;
  // The charger already acted on the first answer to this token: repeat it rather than contradict it.
  if (tokenInfo && input.token && result.duplicate && session.idTag.toUpperCase() === input.token.idTag.toUpperCase()) {
    tokenInfo = { ...tokenInfo, status: session.authorizationStatus };
  }
  if (session.idTag !== '') {
    if (session.stoppedAt === null) deps.activeSessions.opened(session.idTag, session.id);
    else deps.activeSessions.closed(session.idTag, session.id);
  }
  if (input.remoteStartId !== null && deps.remoteStarts) {
    await deps.remoteStarts.transactionStarted({
      chargePointId: input.chargePointId,
      connectorId: session.connectorId,
      idTag: session.idTag,
      transactionId: session.id,
      remoteStartId: input.remoteStartId,
    });
  }
  return { transactionId: session.id, tokenInfo };
}

/** What is news: a session that begins, the samples of an event kept for the first time, a session that ends. */
function eventsOf(events: EventFactory, input: SessionEventRequest) {
  return (result: SessionEventResult) => {
    if (result.duplicate) return [];
    const t = result.transaction;
    const list = [];
    if (result.created) {
      list.push(
        events.create('transaction.started', {
          transactionId: t.id,
          chargePointId: t.chargePointId,
          connectorId: t.connectorId,
          evseId: t.evseId,
          chargerTransactionId: t.chargerTransactionId,
          idTag: t.idTag,
          idTokenType: t.idTokenType,
          meterStartWh: t.meterStartWh,
          startedAt: t.startedAt,
          authorizationStatus: t.authorizationStatus,
          flags: t.flags,
        }),
      );
    }
    if (input.samples.length > 0) {
      list.push(events.create('transaction.meter_values', { chargePointId: t.chargePointId, connectorId: t.connectorId, transactionId: t.id, samples: input.samples }));
    }
    if (result.ended) list.push(events.create('transaction.stopped', { ...t }));
    return list;
  };
}
