// Everything storage hands the domain, in one object.
import type { AuthorizationDecisionRepository, LocalListRepository } from './authorization.js';
import type { ChargePointRepository } from './chargers.js';
import type { ChargerMessageRepository, CommandLogRepository, StartRequestRepository } from './commands.js';
import type { ChargerCertificateRepository, ConnectionRepository, EventRepository, SecurityEventRepository, WebhookRepository } from './events.js';
import type { IdTagRepository } from './id-tags.js';
import type { TransactionRepository } from './transactions.js';

/** Whether storage commits now: up, checking after a fault (new work waits), or down (writes fail at once). */
export interface StorageAvailability {
  state: 'up' | 'checking' | 'down';
  /** When the check or outage began (ISO-8601); null while up. */
  since: string | null;
  /** The fault that began it; null while up. */
  reason: string | null;
}

export interface Storage {
  readonly dialect: 'sqlite' | 'postgres';
  chargePoints: ChargePointRepository;
  idTags: IdTagRepository;
  transactions: TransactionRepository;
  decisions: AuthorizationDecisionRepository;
  localLists: LocalListRepository;
  startRequests: StartRequestRepository;
  events: EventRepository;
  webhooks: WebhookRepository;
  connections: ConnectionRepository;
  securityEvents: SecurityEventRepository;
  chargerCertificates: ChargerCertificateRepository;
  commands: CommandLogRepository;
  messages: ChargerMessageRepository;
  /** Resolves when storage is up and the database answers a trivial query; throws otherwise. */
  ping(): Promise<void>;
  availability(): StorageAvailability;
  /** Writes held while storage is away (connector status, connection history, decisions …), to be written when it is back. */
  heldWrites(): number;
  close(): Promise<void>;
}
