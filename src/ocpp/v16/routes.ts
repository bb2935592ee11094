// Every charger-initiated OCPP 1.6 action Voltgate answers, one table built from the feature profiles, behind the
// registration gate. OCPP 1.6 §4.2: while its boot is Pending (or Rejected) a charger sends nothing but
// BootNotification "unless requested by Central System", so anything else gets SecurityError (CONFORMANCE 34),
// except what we asked for with (Extended)TriggerMessage, and StartTransaction, StopTransaction and MeterValues:
// money is always answered and kept (CONFORMANCE "flag, don't reject"), the session flagged for a second look.
// A charger already accepted that reconnects without booting again is served (case 73): its status is kept.
import { CallError } from '../rpc/errors.js';
import { authorizationHandlers } from './authorization.js';
import { coreHandlers } from './core.js';
import { firmwareHandlers } from './firmware.js';
import { securityHandlers } from './security.js';
import type { CallContext, V16Action, V16Deps, V16Handlers } from './handlers.js';
import { transactionHandlers } from './transactions.js';
import type { TriggeredMessages } from '../triggered-messages.js';

/** The flag of a session a charger started or stopped while its boot was not accepted. */
export const BEFORE_BOOT_ACCEPTED = 'before-boot-accepted';

const MONEY_BEARING = new Set<string>(['StartTransaction', 'StopTransaction', 'MeterValues']);

type AnyHandler = (payload: any, context: CallContext) => Promise<any>;

/** `triggered`: what the Central System asked each charger for; without it, nothing counts as requested. */
export function v16Handlers(deps: V16Deps, triggered?: Pick<TriggeredMessages, 'take'>): V16Handlers {
  const table: V16Handlers = {
    ...coreHandlers(deps),
    ...authorizationHandlers(deps),
    ...transactionHandlers(deps),
    ...firmwareHandlers(deps),
    ...securityHandlers(deps),
  };
  const gated: Record<string, AnyHandler> = {};
  for (const [action, handler] of Object.entries(table) as Array<[V16Action, AnyHandler]>) {
    gated[action] =
      action === 'BootNotification'
        ? handler
        : (payload, context) =>
            deps.registry.registrationFor(context.identity) === 'Accepted' ? handler(payload, context) : beforeAcceptance(action, handler, payload, context);
  }

  async function beforeAcceptance(action: V16Action, handler: AnyHandler, payload: any, context: CallContext): Promise<unknown> {
    if (MONEY_BEARING.has(action)) {
      const answer = await handler(payload, context);
      const transactionId = action === 'StartTransaction' ? (answer as { transactionId: number }).transactionId : action === 'StopTransaction' ? (payload as { transactionId: number }).transactionId : null;
      if (transactionId !== null) await flagSession(context.identity, transactionId);
      return answer;
    }
    if (triggered?.take(context.identity, action)) return handler(payload, context);
    const status = deps.registry.registrationFor(context.identity);
    throw new CallError(
      'SecurityError',
      `${action} not processed: this charge point's registration is ${status}; until a BootNotification is Accepted, only BootNotification and what the Central System requests with TriggerMessage are (OCPP 1.6 §4.2)`,
    );
  }

  /** A failed flag loses only the flag: the session is kept and the charger answered all the same. */
  async function flagSession(chargePointId: string, transactionId: number): Promise<void> {
    try {
      const session = await deps.transactions.get(transactionId);
      if (session?.chargePointId === chargePointId) await deps.transactions.addFlags(transactionId, [BEFORE_BOOT_ACCEPTED]);
    } catch (error) {
      deps.logger.warn({ err: error, chargePointId, transactionId }, 'could not flag a session of a charger whose boot is not accepted');
    }
  }

  return gated as V16Handlers;
}
