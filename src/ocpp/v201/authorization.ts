// OCPP 2.0.1 block C: Authorize, decided by the same authorization as every dialect (the whitelist in memory or
// the operator's authorizer), answered in 2.0.1's IdTokenInfo.
import type { HandlerDeps } from '../handler-deps.js';
import type { V201Handlers } from './handlers.js';
import { idTokenInfo, tokenOf } from './tokens.js';

export function authorizationHandlers(deps: HandlerDeps): V201Handlers {
  return {
    Authorize: async (req, ctx) => {
      const token = tokenOf(req.idToken);
      const decision = await deps.authorization.decide({ chargePointId: ctx.identity, connectorId: null, idTag: token.idTag, idTokenType: token.type, reason: 'Authorize' });
      return { idTokenInfo: idTokenInfo(decision.info) };
    },
  };
}
