// The typed shape of an OCPP 1.6 handler table: a wrong answer field is a compile error.
import type { V16Methods } from '../schemas/generated/v16.js';
import type { Logger } from 'pino';
import type { AuthorizationService } from '../../domain/authorization/authorization-service.js';
import type { RemoteStarts } from '../../domain/commands/remote-start.js';
import type { ActiveSessions } from '../../domain/transactions/active-sessions.js';
import type { IdTagTable } from '../../domain/authorization/id-tag-table.js';
import type { ChargerRegistry } from '../../domain/chargers/registry.js';
import type { ChargerSignals, Clock, EventFactory, TransactionRepository } from '../../domain/ports.js';

export interface CallContext {
  identity: string;
  protocol: string;
  messageId: string;
}

export type V16Action = keyof V16Methods;
export type V16Handler<A extends V16Action> = (
  payload: V16Methods[A]['request'],
  context: CallContext,
) => Promise<V16Methods[A]['response']>;
export type V16Handlers = { [A in V16Action]?: V16Handler<A> };

/** What the 1.6 adapter needs from the domain: nothing more. */
export interface V16Deps {
  registry: ChargerRegistry;
  idTags: IdTagTable;
  authorization: AuthorizationService;
  remoteStarts: Pick<RemoteStarts, 'transactionStarted'>;
  activeSessions: ActiveSessions;
  transactions: TransactionRepository;
  clock: Clock;
  heartbeatIntervalS: number;
  logger: Logger;
  /** Told about boots and LocalListConflict reports once the answer is decided (the local list sync). */
  signals?: ChargerSignals;
  /** Makes the outbox events that commit with each write. */
  events?: EventFactory;
}
