// What the REST API needs, handed in by server/create-server.ts. The API never reaches storage directly.
import type { Logger } from 'pino';
import type {
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
  idTags: Pick<IdTagRepository, 'get' | 'list' | 'put' | 'delete'>;
  transactions: Pick<TransactionRepository, 'get' | 'list' | 'iterate'>;
  gateway: ChargerGateway;
  /** Resolves when storage answers; rejects otherwise. */
  ready(): Promise<void>;
}
