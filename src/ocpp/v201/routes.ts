// Every OCPP 2.0.1 message a charging station may send, one table built from the functional blocks, behind the boot
// gate (ocpp/boot-gate.ts): until its boot is accepted a station may send BootNotification and what the CSMS asked
// for with TriggerMessage (B02.FR.09); TransactionEvent and MeterValues are money, answered and kept all the same: a
// station refused them would retry and then drop them (E13).
import type { HandlerDeps } from '../handler-deps.js';
import { gateUntilBootAccepted } from '../boot-gate.js';
import { authorizationHandlers } from './authorization.js';
import type { V201Handlers } from './handlers.js';
import { provisioningHandlers } from './provisioning.js';
import { transactionHandlers } from './transactions.js';
import type { TriggeredMessages } from '../triggered-messages.js';

const MONEY_BEARING = new Set(['TransactionEvent', 'MeterValues']);

/** `triggered`: what the CSMS asked each station for; without it, nothing counts as requested. */
export function v201Handlers(deps: HandlerDeps, triggered?: Pick<TriggeredMessages, 'take'>): V201Handlers {
  const table: V201Handlers = { ...provisioningHandlers(deps), ...authorizationHandlers(deps), ...transactionHandlers(deps) };
  return gateUntilBootAccepted(table, {
    registry: deps.registry,
    ...(triggered ? { triggered } : {}),
    moneyBearing: MONEY_BEARING,
    refusal: (action, status) => `${action} before the boot was accepted (registration ${status}) and not requested with TriggerMessage`,
  });
}
