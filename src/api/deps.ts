// What the REST API needs, handed in by server/create-server.ts. The API never reaches storage directly.
import type { Logger } from 'pino';
import type { RemoteStarts } from '../domain/commands/remote-start.js';
import type { LocalListSync } from '../domain/local-list/sync.js';
import type {
  AuthorizationDecisionRepository,
  ChargePointRepository,
  ChargerGateway,
  IdTagRepository,
  TransactionRepository,
} from '../domain/ports.js';

export interface ApiDeps {
  apiKey: string;
  logger: Logger;
  chargePoints: ChargePointRepository;
  /** Whitelist writes go through the domain so the in-memory decision table stays coherent. */
  idTags: Pick<IdTagRepository, 'get' | 'list' | 'put' | 'putMany' | 'delete'>;
  transactions: Pick<TransactionRepository, 'get' | 'list' | 'iterate'>;
  gateway: ChargerGateway;
  /** SendLocalList, GetLocalListVersion and ClearCache through the domain (one push at a time per charger). */
  localLists: Pick<LocalListSync, 'push' | 'readVersion' | 'clearCache'>;
  decisions: Pick<AuthorizationDecisionRepository, 'list'>;
  remoteStarts: Pick<RemoteStarts, 'start' | 'get'>;
  /** Resolves when storage answers; rejects otherwise. */
  ready(): Promise<void>;
}
