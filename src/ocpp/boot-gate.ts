// Until its boot is accepted, a charger is served its BootNotification, what the CSMS asked for with TriggerMessage
// or ExtendedTriggerMessage, and its money-bearing messages: those are answered and kept (flag, don't reject), the
// session they start or end flagged for a second look. Anything else gets SecurityError (CONFORMANCE 34; OCPP 1.6
// §4.2, 2.0.1 B02.FR.09). A charger already accepted that reconnects without booting again is served (case 73).
import type { ChargerRegistry } from '../domain/chargers/registry.js';
import { CallError } from './rpc/errors.js';
import type { TriggeredMessages } from './triggered-messages.js';

/** The flag of a session a charger started, updated or ended while its boot was not accepted. */
export const BEFORE_BOOT_ACCEPTED = 'before-boot-accepted';

/** What a handler is told of the call: who sent it, and flags for the session it starts or ends. */
export interface GatedContext {
  identity: string;
  sessionFlags?: readonly string[];
}

type AnyHandler = (payload: any, context: GatedContext) => Promise<unknown>;

export interface BootGate {
  registry: Pick<ChargerRegistry, 'registrationFor'>;
  /** What the CSMS asked each charger for; without it, nothing counts as requested. */
  triggered?: Pick<TriggeredMessages, 'take'>;
  /** The dialect's money-bearing actions. */
  moneyBearing: ReadonlySet<string>;
  /** The SecurityError's description, in the dialect's words. */
  refusal(action: string, status: string): string;
}

const FLAGGED = [BEFORE_BOOT_ACCEPTED] as const;

export function gateUntilBootAccepted<T extends object>(table: T, gate: BootGate): T {
  const gated: Record<string, AnyHandler> = {};
  for (const [action, handler] of Object.entries(table) as Array<[string, AnyHandler]>) {
    gated[action] =
      action === 'BootNotification'
        ? handler
        : (payload, context) => {
            const status = gate.registry.registrationFor(context.identity);
            if (status === 'Accepted') return handler(payload, context);
            if (gate.moneyBearing.has(action)) return handler(payload, { ...context, sessionFlags: FLAGGED });
            if (gate.triggered?.take(context.identity, action)) return handler(payload, context);
            throw new CallError('SecurityError', gate.refusal(action, status));
          };
  }
  return gated as T;
}
