// Everything storage hands the domain, in one object.
import type { AuthorizationDecisionRepository, LocalListRepository } from './authorization.js';
import type { ChargePointRepository } from './chargers.js';
import type { CommandLogRepository, StartRequestRepository } from './commands.js';
import type { ConnectionRepository, EventRepository, WebhookRepository } from './events.js';
import type { IdTagRepository } from './id-tags.js';
import type { TransactionRepository } from './transactions.js';

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
  commands: CommandLogRepository;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
