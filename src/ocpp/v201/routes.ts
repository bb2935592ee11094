// Every OCPP 2.0.1 message a charging station may send, one table built from the functional blocks. Until its
// boot is accepted, a station may send only BootNotification and what the CSMS asked for with TriggerMessage: anything
// else gets SecurityError (B02.FR.09, CONFORMANCE 34); a station already accepted that reconnects without booting
// again is served (case 73).
import type { HandlerDeps } from '../handler-deps.js';
import { CallError } from '../rpc/errors.js';
import { authorizationHandlers } from './authorization.js';
import type { V201Action, V201Handlers } from './handlers.js';
import { provisioningHandlers } from './provisioning.js';
import { transactionHandlers } from './transactions.js';
import type { TriggeredMessages } from '../triggered-messages.js';

/** `triggered`: what the CSMS asked each station for; without it, nothing counts as requested. */
export function v201Handlers(deps: HandlerDeps, triggered?: Pick<TriggeredMessages, 'take'>): V201Handlers {
  const table: V201Handlers = { ...provisioningHandlers(deps), ...authorizationHandlers(deps), ...transactionHandlers(deps) };
  const gated: Record<string, unknown> = {};
  for (const [action, handler] of Object.entries(table) as Array<[V201Action, (payload: unknown, context: { identity: string }) => Promise<unknown>]>) {
    gated[action] =
      action === 'BootNotification'
        ? handler
        : (payload: unknown, context: { identity: string }) => {
            const status = deps.registry.registrationFor(context.identity);
            if (status !== 'Accepted' && !triggered?.take(context.identity, action)) {
              throw new CallError('SecurityError', `${action} before the boot was accepted (registration ${status}) and not requested with TriggerMessage`);
            }
            return handler(payload, context);
          };
  }
  return gated as V201Handlers;
}
