// What a dialect's handlers need from the domain, whatever the dialect: nothing more.
import type { Logger } from 'pino';
import type { AuthorizationService } from '../domain/authorization/authorization-service.js';
import type { RemoteStarts } from '../domain/commands/remote-start.js';
import type { ActiveSessions } from '../domain/transactions/active-sessions.js';
import type { IdTagTable } from '../domain/authorization/id-tag-table.js';
import type { ChargerRegistry } from '../domain/chargers/registry.js';
import type { CertificateSigning } from '../domain/security/certificate-signing.js';
import type { ChargerMessageRepository, ChargerSignals, Clock, EventFactory, SecurityEventRepository, TransactionRepository } from '../domain/ports.js';

export interface HandlerDeps {
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
  /** Keeps what a charger sent unasked that has no meaning of its own here yet. */
  messages?: Pick<ChargerMessageRepository, 'record'>;
  /** Where SecurityEventNotification goes (kept per charger, announced as charge_point.security_event). */
  securityEvents?: Pick<SecurityEventRepository, 'record'>;
  /** Makes the outbox events that commit with each write. */
  events?: EventFactory;
  /** Answers SignCertificate; without it every request is Rejected. */
  certificateSigning?: Pick<CertificateSigning, 'answer'>;
}
