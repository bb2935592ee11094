// Every charger-initiated OCPP 1.6 action Voltgate answers, one table built from the feature profiles, behind the
// boot gate (ocpp/boot-gate.ts): while its boot is Pending or Rejected a charger sends nothing but BootNotification
// "unless requested by Central System" (OCPP 1.6 §4.2); StartTransaction, StopTransaction and MeterValues are money,
// answered and kept all the same.
import { gateUntilBootAccepted } from '../boot-gate.js';
import { authorizationHandlers } from './authorization.js';
import { coreHandlers } from './core.js';
import { firmwareHandlers } from './firmware.js';
import { securityHandlers } from './security.js';
import type { V16Deps, V16Handlers } from './handlers.js';
import { transactionHandlers } from './transactions.js';
import type { TriggeredMessages } from '../triggered-messages.js';

const MONEY_BEARING = new Set(['StartTransaction', 'StopTransaction', 'MeterValues']);

/** `triggered`: what the Central System asked each charger for; without it, nothing counts as requested. */
export function v16Handlers(deps: V16Deps, triggered?: Pick<TriggeredMessages, 'take'>): V16Handlers {
  const table: V16Handlers = {
    ...coreHandlers(deps),
    ...authorizationHandlers(deps),
    ...transactionHandlers(deps),
    ...firmwareHandlers(deps),
    ...securityHandlers(deps),
  };
  return gateUntilBootAccepted(table, {
    registry: deps.registry,
    ...(triggered ? { triggered } : {}),
    moneyBearing: MONEY_BEARING,
    refusal: (action, status) =>
      `${action} not processed: this charge point's registration is ${status}; until a BootNotification is Accepted, only BootNotification and what the Central System requests with TriggerMessage are (OCPP 1.6 §4.2)`,
  });
}
