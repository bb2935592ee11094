// Every charger-initiated OCPP 1.6 action Voltgate answers, one table built from the feature profiles.
import { authorizationHandlers } from './authorization.js';
import { coreHandlers } from './core.js';
import { firmwareHandlers } from './firmware.js';
import { securityHandlers } from './security.js';
import type { V16Deps, V16Handlers } from './handlers.js';
import { transactionHandlers } from './transactions.js';

export function v16Handlers(deps: V16Deps): V16Handlers {
  return {
    ...coreHandlers(deps),
    ...authorizationHandlers(deps),
    ...transactionHandlers(deps),
    ...firmwareHandlers(deps),
    ...securityHandlers(deps),
  };
}
