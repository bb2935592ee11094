// Events (PRODUCT.md "Webhook events"), written to the outbox in the same commit as what they describe; webhooks and connection history.
import type { IsoTime, Page, PageQuery } from './common.js';

export type EventName =
  | 'charge_point.connected'
  | 'charge_point.disconnected'
  | 'charge_point.offline'
  | 'charge_point.status_changed'
  | 'transaction.started'
  | 'transaction.meter_values'
  | 'transaction.stopped'
  | 'authorization.decided'
  | 'charge_point.security_event';

/** One event as webhooks and the live feed carry it. Ids sort in the order the events were made. */
export interface DomainEvent {
  id: string;
  event: EventName;
  occurredAt: IsoTime;
  data: Record<string, unknown>;
}

/** Makes events (ids and times); storage writes them with the change they describe. */
export interface EventFactory {
  create(event: EventName, data: Record<string, unknown>): DomainEvent;
}

export interface EventRepository {
  /** A durable append on its own (events that describe no other write, e.g. a disconnect). */
  append(events: DomainEvent[]): Promise<void>;
  /** Events after `afterId` in id order, for the live feed's Last-Event-ID. */
  after(afterId: string, limit: number): Promise<DomainEvent[]>;
  /** Called with every event once it is committed by this process. Returns the unsubscribe function. */
  onCommitted(listener: (events: DomainEvent[]) => void): () => void;
  /** Deletes events and webhook delivery attempts older than `before`, except events still to be delivered. */
  prune(before: IsoTime): Promise<{ events: number; deliveries: number }>;
}

export interface WebhookRecord {
  id: string;
  url: string;
  /** Event names, or ['*'] for all. */
  events: string[];
  enabled: boolean;
  consecutiveFailures: number;
  disabledAt: IsoTime | null;
  createdAt: IsoTime;
}

export interface WebhookDeliveryRecord {
  id: number;
  eventId: string;
  event: string;
  attempt: number;
  attemptedAt: IsoTime;
  /** The receiver's HTTP status, null when there was none (see error). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookRepository {
  list(query: PageQuery): Promise<Page<WebhookRecord>>;
  get(id: string): Promise<WebhookRecord | null>;
  create(input: { id: string; url: string; events: string[]; secret: string; at: IsoTime }): Promise<WebhookRecord>;
  delete(id: string): Promise<boolean>;
  enable(id: string, at: IsoTime): Promise<WebhookRecord | null>;
  /** Newest first. */
  deliveries(id: string, query: PageQuery): Promise<Page<WebhookDeliveryRecord>>;
}

export interface ConnectionRecord {
  id: number;
  chargePointId: string;
  kind: 'connected' | 'disconnected';
  at: IsoTime;
  protocol: string | null;
  /** WebSocket close code and reason of a disconnect. */
  code: number | null;
  reason: string | null;
}

/** A certificate a charger holds, as far as Voltgate knows it. */
export interface ChargerCertificateRecord {
  id: number;
  chargePointId: string;
  serialNumber: string;
  subject: string;
  issuer: string;
  notBefore: IsoTime;
  notAfter: IsoTime;
  /** signed: Voltgate had it signed for the charger (SignCertificate); presented: the charger showed it at a TLS handshake. */
  source: 'signed' | 'presented';
  recordedAt: IsoTime;
  /** When Voltgate warned that it expires soon; null: not yet. */
  expiryWarnedAt: IsoTime | null;
}

export type ChargerCertificateInput = Omit<ChargerCertificateRecord, 'id' | 'expiryWarnedAt'>;

export interface ChargerCertificateRepository {
  /** Once per charger, issuer and serial number: recording it again changes nothing. */
  record(input: ChargerCertificateInput): Promise<void>;
  list(chargePointId: string, query: PageQuery): Promise<Page<ChargerCertificateRecord>>;
  unwarnedExpiringBefore(before: IsoTime, limit: number): Promise<ChargerCertificateRecord[]>;
  markExpiryWarned(id: number, at: IsoTime): Promise<void>;
}

/** A security event: one a charger reported (SecurityEventNotification), or one Voltgate saw about it. */
export interface SecurityEventRecord {
  id: number;
  chargePointId: string;
  /** The charger's type (e.g. FirmwareUpdated, SettingSystemTime), or Voltgate's own (RefusedWithoutTls …). */
  type: string;
  techInfo: string | null;
  source: 'charger' | 'voltgate';
  occurredAt: IsoTime;
  receivedAt: IsoTime;
}

export interface SecurityEventRepository {
  /** Kept with its event (charge_point.security_event) in one commit. */
  record(input: Omit<SecurityEventRecord, 'id'>, events: DomainEvent[]): Promise<void>;
  /** Newest first. */
  list(chargePointId: string, query: PageQuery): Promise<Page<SecurityEventRecord>>;
}

export interface ConnectionRepository {
  /** Appends the history row and its event in one commit. */
  record(input: Omit<ConnectionRecord, 'id'>, events: DomainEvent[]): Promise<void>;
  /** Newest first. */
  list(chargePointId: string, query: PageQuery): Promise<Page<ConnectionRecord>>;
}

/** One attempt to deliver one event to one webhook, as the delivery log keeps it. */
export interface WebhookAttempt {
  webhookId: string;
  eventId: string;
  event: string;
  attempt: number;
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}
