// OCPP 1.6 Core: Authorize, answered from the in-memory whitelist.
import type { V16Deps, V16Handlers } from './handlers.js';

export function authorizationHandlers(deps: V16Deps): V16Handlers {
  return {
    Authorize: async (req) => ({ idTagInfo: deps.idTags.decide(req.idTag, deps.clock.now()) }),
  };
}
