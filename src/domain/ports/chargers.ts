// Chargers: their registry and connectors in storage, and the way to reach a connected one.
import type { IsoTime, Page, PageQuery, RegistrationStatus } from './common.js';
import type { DomainEvent } from './events.js';
import type { IntentAnswers, IntentKind, IntentOf } from './intents.js';

export interface ConnectorRecord {
  /** The EVSE the connector belongs to (2.x); null where connectors stand alone (1.x). */
  evseId: number | null;
  connectorId: number;
  status: string;
  errorCode: string;
  info: string | null;
  vendorErrorCode: string | null;
  updatedAt: IsoTime;
}

export interface ChargePointRecord {
  id: string;
  protocol: string | null;
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  firmwareVersion: string | null;
  registrationStatus: RegistrationStatus;
  lastSeenAt: IsoTime | null;
  createdAt: IsoTime;
  connectors: ConnectorRecord[];
  /** Salted hash of the security-profile-1 password (domain/chargers/password.ts); never published. */
  passwordHash: string | null;
  /** The dialects it may use (subprotocols); null: any. */
  protocols: string[] | null;
  /** Where a charger without a lasting connection (SOAP) is called: the address it announced, or one set by hand. */
  soapEndpoint: string | null;
  /** OCPP security profile 0–3: at 2 it connects over TLS, at 3 over TLS with a client certificate naming it. */
  securityProfile: SecurityProfile;
  /** A new password sent to the charger, valid beside the one in use until settled (CONFORMANCE 26); never published. */
  pendingPasswordHash: string | null;
  /** A higher profile the charger accepted: enforced from its first connection at it (CONFORMANCE 31). */
  pendingSecurityProfile: SecurityProfile | null;
}

export type SecurityProfile = 0 | 1 | 2 | 3;

/** What a charger gave as HTTP Basic auth at its handshake. */
export interface BasicCredentials {
  username: string;
  password: string;
  /** The password's bytes in hex, when it is 16 to 20 bytes long (a 1.6 AuthorizationKey sent as the bytes it spells). */
  passwordHex?: string;
}

export interface ChargePointInput {
  id: string;
  registrationStatus?: RegistrationStatus;
  vendor?: string | null;
  model?: string | null;
  /** null removes the password; left out keeps it. */
  passwordHash?: string | null;
  /** null: any dialect; left out keeps them. */
  protocols?: string[] | null;
  /** null forgets it; left out keeps it. */
  soapEndpoint?: string | null;
  /** Left out keeps it (a new charger: 0). */
  securityProfile?: SecurityProfile;
  /** null settles a password change; left out keeps it. */
  pendingPasswordHash?: string | null;
  /** null settles a profile change; left out keeps it. */
  pendingSecurityProfile?: SecurityProfile | null;
}

export interface BootRecordInput {
  id: string;
  protocol: string;
  vendor: string;
  model: string;
  serialNumber: string | null;
  firmwareVersion: string | null;
  registrationStatus: RegistrationStatus;
  bootedAt: IsoTime;
}

export interface StatusRecordInput {
  chargePointId: string;
  evseId: number | null;
  connectorId: number;
  status: string;
  errorCode: string;
  info: string | null;
  vendorId: string | null;
  vendorErrorCode: string | null;
  /** The charger's timestamp when it sent one, else the time we received it. */
  timestamp: IsoTime;
}

export interface ChargePointRepository {
  get(id: string): Promise<ChargePointRecord | null>;
  list(query: PageQuery): Promise<Page<ChargePointRecord>>;
  /** Registers or updates a charger through the API. */
  put(input: ChargePointInput): Promise<ChargePointRecord>;
  delete(id: string): Promise<boolean>;
  /** Durable before it resolves, group-committed with other chargers' writes. */
  recordBoot(input: BootRecordInput): Promise<void>;
  /**
   * A charger admitted by the unknown-charger policy at its first connection: its row, a bulk row of the group
   * commit (a fleet of new chargers is one insert per batch). A row that exists already is left as it is.
   */
  register(id: string, registrationStatus: RegistrationStatus): Promise<void>;
  /**
   * Keeps the status in the history, and as the connector's current one unless a newer one is known. `events`
   * is told whether the current status changed (a repeat of the same status and error is no change).
   */
  recordStatus(input: StatusRecordInput, events?: (changed: boolean) => DomainEvent[]): Promise<void>;
  /** Last-seen times are not money: written lazily, in bulk. */
  markSeen(ids: string[], at: IsoTime): Promise<void>;
}

/** What chargers' messages tell the domain's background work: called once the answer is decided, returns at once. */
export interface ChargerSignals {
  booted(chargePointId: string, status: RegistrationStatus): void;
  /** The charger found its local list and its authorization cache at odds (1.6: a LocalListConflict status, §3.5.2). */
  localListConflict(chargePointId: string): void;
}

/**
 * Carries the operator's intents to a connected charger, wherever its connection lives, in the dialect it
 * speaks. Rejects with the errors of domain/commands/errors.ts.
 */
export interface ChargerGateway {
  isConnected(chargePointId: string): boolean;
  protocolOf(chargePointId: string): string | null;
  send<K extends IntentKind>(chargePointId: string, intent: IntentOf<K>, options?: { timeoutMs?: number }): Promise<IntentAnswers[K]>;
}
