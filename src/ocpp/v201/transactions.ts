// OCPP 2.0.1 block E: TransactionEvent is a session (Started, Updated, Ended make one), recorded before it is
// answered, each seqNo once; MeterValues outside a transaction are kept as they come. Money-bearing: always
// answered with what was stored, never refused for their content.
import { recordMeterValues } from '../../domain/transactions/meter-values.js';
import { recordSessionEvent } from '../../domain/transactions/session-event.js';
import type { SessionEventType } from '../../domain/ports.js';
import type { HandlerDeps } from '../handler-deps.js';
import type { V201Handlers } from './handlers.js';
import { samplesOf } from './meter-values.js';
import { idTokenInfo, tokenOf } from './tokens.js';

const EVENT_TYPES: Record<'Started' | 'Updated' | 'Ended', SessionEventType> = { Started: 'started', Updated: 'updated', Ended: 'ended' };
/** The contract's words for why an event's token is decided (the decision log, the authorizer callout). */
const DECISION_REASONS = { Started: 'StartTransaction', Updated: 'Authorize', Ended: 'StopTransaction' } as const;

export function transactionHandlers(deps: HandlerDeps): V201Handlers {
  return {
    TransactionEvent: async (req, ctx) => {
      const info = req.transactionInfo;
      const answer = await recordSessionEvent(deps, {
        chargePointId: ctx.identity,
        chargerTransactionId: info.transactionId,
        seqNo: req.seqNo,
        type: EVENT_TYPES[req.eventType],
        timestamp: req.timestamp,
        triggerReason: req.triggerReason,
        offline: req.offline ?? false,
        evseId: req.evse?.id ?? null,
        connectorId: req.evse?.connectorId ?? null,
        token: req.idToken ? tokenOf(req.idToken) : null,
        chargingState: info.chargingState ?? null,
        // E06: a stoppedReason may only be left out when it is Local.
        stopReason: req.eventType === 'Ended' ? (info.stoppedReason ?? 'Local') : null,
        samples: samplesOf(req.meterValue, deps.clock.now()),
        remoteStartId: info.remoteStartId ?? null,
        payload: req,
        decisionReason: DECISION_REASONS[req.eventType],
        whitelistOnly: req.eventType === 'Ended',
        flags: ctx.sessionFlags ?? [],
      });
      return answer.tokenInfo ? { idTokenInfo: idTokenInfo(answer.tokenInfo) } : {};
    },

    MeterValues: async (req, ctx) => {
      // Outside a transaction (those come in TransactionEvent): evseId 0 is the station's main meter.
      await recordMeterValues(deps, { chargePointId: ctx.identity, connectorId: req.evseId, transactionId: null, samples: samplesOf(req.meterValue, deps.clock.now()) });
      return {};
    },
  };
}
