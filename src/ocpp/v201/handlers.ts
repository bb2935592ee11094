// The typed shape of an OCPP 2.0.1 handler table: a wrong answer field is a compile error.
import type { V201Methods } from '../schemas/generated/v201.js';
import type { CallContext } from '../v16/handlers.js';

export type V201Action = keyof V201Methods;
export type V201Handler<A extends V201Action> = (payload: V201Methods[A]['request'], context: CallContext) => Promise<V201Methods[A]['response']>;
export type V201Handlers = { [A in V201Action]?: V201Handler<A> };
export type V201Request<A extends V201Action> = V201Methods[A]['request'];
export type V201Response<A extends V201Action> = V201Methods[A]['response'];
