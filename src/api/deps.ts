// What the REST API needs, handed in by server/create-server.ts. The API never reaches storage directly.
import type { Logger } from 'pino';
import type { RemoteStarts } from '../domain/commands/remote-start.js';
import type { ChargerCommands } from '../domain/commands/send.js';
import type { CredentialChanges } from '../domain/security/credential-changes.js';
import type { LocalListSync } from '../domain/local-list/sync.js';
import type {
  AuthorizationDecisionRepository,
  ChargerMessageRepository,
  ChargePointRepository,
  ChargerGateway,
  ConnectionRepository,
  EventRepository,
  SecurityEventRepository,
  ChargerCertificateRepository,
  WebhookRepository,
  IdTagRepository,
  TransactionRepository,
} from '../domain/ports.js';

export interface ApiDeps {
  apiKey: string;
  logger: Logger;
  chargePoints: ChargePointRepository;
  /** Whitelist writes go through the domain so the in-memory decision table stays coherent. */
  idTags: Pick<IdTagRepository, 'get' | 'list' | 'put' | 'putMany' | 'delete'>;
  transactions: Pick<TransactionRepository, 'get' | 'list' | 'iterate' | 'totals'>;
  gateway: ChargerGateway;
  /** SendLocalList, GetLocalListVersion and ClearCache through the domain (one push at a time per charger). */
  localLists: Pick<LocalListSync, 'push' | 'readVersion' | 'clearCache'>;
  decisions: Pick<AuthorizationDecisionRepository, 'list'>;
  remoteStarts: Pick<RemoteStarts, 'start' | 'get'>;
  /** Any CSMS-initiated OCPP call, checked against its schema, and the per-charger command history. */
  commands: Pick<ChargerCommands, 'send' | 'history'>;
  /** New passwords and higher security profiles, settled by the chargers' answers. */
  credentialChanges: Pick<CredentialChanges, 'changePassword' | 'raiseSecurityProfile'>;
  /** What the OCPP listeners can check: TLS at all (profile 2), client certificates (profile 3). */
  tls: { served: boolean; clientCertificates: boolean };
  webhooks: WebhookRepository;
  securityEvents: Pick<SecurityEventRepository, 'list'>;
  /** The certificates chargers hold, as far as Voltgate knows them. */
  chargerCertificates: Pick<ChargerCertificateRepository, 'list'>;
  /** VOLTGATE_ALLOW_LINK_LOCAL_URLS: webhooks may point at link-local and cloud-metadata addresses (default false). */
  allowLinkLocalUrls?: boolean;
  /** The live feed: replay from the outbox, then what is committed. */
  events: Pick<EventRepository, 'after' | 'onCommitted'>;
  connections: Pick<ConnectionRepository, 'list'>;
  /** What chargers sent unasked that is kept as it came. */
  messages: Pick<ChargerMessageRepository, 'list'>;
  /** A subscription was re-enabled: its pending deliveries may go out now rather than at the next poll. */
  webhookCommitted?: () => void;
  /** Resolves when storage answers; rejects otherwise. */
  ready(): Promise<void>;
}
