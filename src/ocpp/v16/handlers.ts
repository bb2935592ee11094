// The typed shape of an OCPP 1.6 handler table: a wrong answer field is a compile error.
import type { V16Methods } from '../schemas/generated/v16.js';
import type { HandlerDeps } from '../handler-deps.js';

export interface CallContext {
  identity: string;
  protocol: string;
  messageId: string;
  /** Flags for the session this message starts or ends (the boot gate's: ocpp/boot-gate.ts). */
  sessionFlags?: readonly string[];
}

export type V16Action = keyof V16Methods;
export type V16Handler<A extends V16Action> = (
  payload: V16Methods[A]['request'],
  context: CallContext,
) => Promise<V16Methods[A]['response']>;
export type V16Handlers = { [A in V16Action]?: V16Handler<A> };

/** What the 1.6 adapter needs from the domain: the same as every dialect's. */
export type V16Deps = HandlerDeps;
