// OCPP 1.6 Core: Authorize, decided by the whitelist in memory or the operator's authorizer (domain/authorization).
import type { V16Deps, V16Handlers } from './handlers.js';

export function authorizationHandlers(deps: V16Deps): V16Handlers {
  return {
    Authorize: async (req, ctx) => {
      const decision = await deps.authorization.decide({ chargePointId: ctx.identity, connectorId: null, idTag: req.idTag, reason: 'Authorize' });
      return { idTagInfo: decision.info };
    },
  };
}
