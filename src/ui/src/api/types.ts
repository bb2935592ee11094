// Shapes of the REST API's answers, as the OpenAPI document at /api/openapi.json defines them.

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Connector {
  /** OCPP 2.x: the EVSE the connector belongs to; null for 1.x. */
  evseId?: number | null;
  connectorId: number;
  status: string;
  errorCode: string;
  updatedAt: string;
}

export interface ChargePoint {
  id: string;
  connected: boolean;
  protocol: string | null;
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  firmwareVersion: string | null;
  registrationStatus: 'Accepted' | 'Pending' | 'Rejected';
  lastSeenAt: string | null;
  connectors: Connector[];
}

export interface Transaction {
  id: number;
  chargePointId: string;
  connectorId: number;
  evseId?: number | null;
  chargerTransactionId?: string | number;
  idTokenType?: string | null;
  idTag: string;
  startedAt: string;
  stoppedAt: string | null;
  meterStartWh: number;
  meterStopWh: number | null;
  energyWh: number | null;
  stopReason: string | null;
  status: 'Active' | 'Completed';
  flags: string[];
  durationS: number | null;
  averagePowerW: number | null;
}

export interface MeterValue {
  timestamp: string;
  measurand: string;
  value: string;
  unit: string | null;
  phase: string | null;
  context: string | null;
  location?: string | null;
  normalizedValue?: number | null;
  normalizedUnit?: string | null;
}

export interface TransactionDetail extends Transaction {
  meterValues: MeterValue[];
}

export interface CommandRecord {
  id: number;
  action: string;
  payload: unknown;
  answer: unknown;
  status: 'ok' | 'rejected' | 'error' | 'timeout';
  errorCode: string | null;
  errorMessage: string | null;
  requestedAt: string;
  answeredAt: string;
  durationMs: number;
}

export const ID_TAG_STATUSES = ['Accepted', 'Blocked', 'Expired', 'Invalid'] as const;
export type IdTagStatus = (typeof ID_TAG_STATUSES)[number];

export interface IdTag {
  idTag: string;
  status: IdTagStatus;
  expiryDate: string | null;
  parentIdTag: string | null;
  maxActiveTransactions: number | null;
  label: string | null;
  /** OCPP 2.x token type; null: unknown. */
  idTokenType?: string | null;
}

export interface ImportResult {
  imported: number;
  created: number;
  updated: number;
}

export interface ImportLineError {
  line: number;
  field?: string;
  message: string;
}

export interface StatisticsGroup {
  key: string;
  sessions: number;
  activeSessions: number;
  energyWh: number;
  durationS: number;
}

export interface StatisticsPage extends Page<StatisticsGroup> {
  groupBy: string;
}

/** PRODUCT.md "Webhook events": what a subscription can ask for and what the live feed carries. */
export const EVENT_NAMES = [
  'charge_point.connected',
  'charge_point.disconnected',
  'charge_point.offline',
  'charge_point.status_changed',
  'transaction.started',
  'transaction.meter_values',
  'transaction.stopped',
  'authorization.decided',
  'charge_point.security_event',
] as const;

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  consecutiveFailures: number;
  disabledAt: string | null;
  createdAt: string;
}

export interface WebhookDelivery {
  id: number;
  eventId: string;
  event: string;
  attempt: number;
  attemptedAt: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface AuthorizationDecision {
  id: number;
  chargePointId: string;
  connectorId: number | null;
  idTag: string;
  reason: string;
  status: string;
  source: string;
  detail: string | null;
  decidedAt: string;
}

/** What the live feed carries in each message's data. */
export interface FeedMessage {
  id: string;
  event: string;
  occurredAt: string;
  data: Record<string, unknown>;
}
