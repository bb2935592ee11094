// OCPP 1.6 Core: StartTransaction, MeterValues, StopTransaction. Money-bearing: always answered,
// durable before the answer leaves (the domain resolves only after the group commit).
import { recordMeterValues } from '../../domain/transactions/meter-values.js';
import { flattenMeterValues } from './meter-values.js';
import { startTransaction } from '../../domain/transactions/start.js';
import { stopTransaction } from '../../domain/transactions/stop.js';
import type { V16Deps, V16Handlers } from './handlers.js';

export function transactionHandlers(deps: V16Deps): V16Handlers {
  return {
    StartTransaction: async (req, ctx) => {
      const answer = await startTransaction(deps, {
        chargePointId: ctx.identity,
        connectorId: req.connectorId,
        idTag: req.idTag,
        meterStartWh: req.meterStart,
        timestamp: req.timestamp,
        reservationId: req.reservationId ?? null,
        decisionReason: 'StartTransaction',
        flags: ctx.sessionFlags ?? [],
      });
      return { transactionId: answer.transactionId, idTagInfo: answer.idTagInfo };
    },

    MeterValues: async (req, ctx) => {
      const samples = flattenMeterValues(req.meterValue, deps.clock.now());
      await recordMeterValues(deps, { chargePointId: ctx.identity, connectorId: req.connectorId, transactionId: req.transactionId ?? null, samples });
      return {};
    },

    StopTransaction: async (req, ctx) => {
      const answer = await stopTransaction(deps, {
        chargePointId: ctx.identity,
        transactionId: req.transactionId,
        ...(req.idTag !== undefined ? { idTag: req.idTag } : {}),
        meterStopWh: req.meterStop,
        timestamp: req.timestamp,
        reason: req.reason ?? 'Local', // §7.41: an omitted reason means Local
        transactionData: req.transactionData ?? null,
        samples: req.transactionData?.length ? flattenMeterValues(req.transactionData, deps.clock.now()) : [],
        decisionReason: 'StopTransaction',
        flags: ctx.sessionFlags ?? [],
      });
      if (answer.outcome === 'quarantined') {
        deps.logger.warn({ chargePointId: ctx.identity, transactionId: req.transactionId }, 'StopTransaction for an unknown transaction kept for reconciliation');
      }
      return answer.idTagInfo ? { idTagInfo: answer.idTagInfo } : {};
    },
  };
}
