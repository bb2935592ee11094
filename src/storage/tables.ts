// Row shapes of every table, as Kysely sees them. Times are ISO-8601 UTC text with milliseconds on both
// engines, so they sort as text and read back exactly as written; JSON is kept as text for the same reason.
import type { Generated } from 'kysely';

export interface ChargePointsTable {
  id: string;
  protocol: string | null;
  vendor: string | null;
  model: string | null;
  serial_number: string | null;
  firmware_version: string | null;
  registration_status: string;
  password_hash: string | null;
  booted_at: string | null;
  last_seen_at: string | null;
  created_at: string;
  updated_at: string;
  /** JSON array of the dialects it may use, or null: any. */
  protocols: string | null;
  /** A SOAP charger's ChargePointService address: announced (wsa:From) or set by hand. */
  soap_endpoint: string | null;
  security_profile: Generated<number>;
  /** A new password sent to the charger, valid beside password_hash until it is settled. */
  pending_password_hash: string | null;
  /** A higher profile the charger accepted, enforced from its first connection at it. */
  pending_security_profile: number | null;
}

export interface ConnectorsTable {
  charge_point_id: string;
  /** 0: no EVSE (1.x, where each connector stands alone). */
  evse_id: number;
  connector_id: number;
  status: string;
  error_code: string;
  info: string | null;
  vendor_error_code: string | null;
  updated_at: string;
}

export interface StatusHistoryTable {
  id: Generated<number>;
  charge_point_id: string;
  connector_id: number;
  status: string;
  error_code: string;
  info: string | null;
  vendor_id: string | null;
  vendor_error_code: string | null;
  timestamp: string;
  received_at: string;
  evse_id: number | null;
}

export interface IdTagsTable {
  /** Upper-cased idTag: OCPP idTags are case-insensitive. */
  id_tag_key: string;
  id_tag: string;
  status: string;
  expiry_date: string | null;
  parent_id_tag: string | null;
  max_active_transactions: number | null;
  label: string | null;
  created_at: string;
  updated_at: string;
  id_token_type: string | null;
}

export interface TransactionsTable {
  id: Generated<number>;
  charge_point_id: string;
  connector_id: number;
  id_tag: string;
  id_tag_key: string;
  started_at: string;
  meter_start_wh: number;
  reservation_id: number | null;
  authorization_status: string;
  stopped_at: string | null;
  meter_stop_wh: number | null;
  energy_wh: number | null;
  stop_reason: string | null;
  stop_id_tag: string | null;
  /** JSON array of strings. */
  flags: string;
  /** StopTransaction.transactionData as received, JSON. */
  transaction_data: string | null;
  created_at: string;
  stop_received_at: string | null;
  evse_id: number | null;
  /** 2.x: the charger's own transaction id; null for 1.x, whose chargers use `id`. */
  charger_transaction_id: string | null;
  id_token_type: string | null;
  meter_start_source: string | null;
  meter_start_at: string | null;
  meter_stop_source: string | null;
  charging_state: string | null;
  trigger_reason: string | null;
  /** Counts the row's writes: a remembered row is used only while this still matches (storage/session-cache.ts). */
  revision: Generated<number>;
}

/** 2.x TransactionEvent, each kept once: unique (transaction_id, seq_no), the session being unique per charger and transaction. */
export interface TransactionEventsTable {
  charge_point_id: string;
  charger_transaction_id: string;
  seq_no: number;
  transaction_id: number;
  event_type: string;
  timestamp: string;
  trigger_reason: string;
  offline: number;
  /** The request as received, JSON. */
  payload: string;
  received_at: string;
}

export interface MeterValuesTable {
  id: Generated<number>;
  /** As the charger reported it; no foreign key, so samples for unknown transactions are kept too. */
  transaction_id: number | null;
  charge_point_id: string;
  connector_id: number;
  timestamp: string;
  measurand: string;
  value: string;
  unit: string | null;
  phase: string | null;
  context: string | null;
  location: string | null;
  format: string | null;
  received_at: string;
}

export interface OrphanStopsTable {
  id: Generated<number>;
  charge_point_id: string;
  transaction_id: number;
  id_tag: string | null;
  meter_stop_wh: number;
  stopped_at: string;
  reason: string;
  transaction_data: string | null;
  flags: string;
  received_at: string;
}

export interface AuthorizationDecisionsTable {
  id: Generated<number>;
  charge_point_id: string;
  connector_id: number | null;
  id_tag: string;
  id_tag_key: string;
  reason: string;
  status: string;
  source: string;
  detail: string | null;
  decided_at: string;
  id_token_type: string | null;
}

export interface LocalListsTable {
  charge_point_id: string;
  list_version: number;
  /** 0 or 1. */
  not_supported: number;
  send_local_list_max_length: number | null;
  local_auth_list_max_length: number | null;
  limits_read_at: string | null;
  updated_at: string;
}

export interface LocalListEntriesTable {
  charge_point_id: string;
  id_tag_key: string;
  id_tag: string;
  status: string;
  expiry_date: string | null;
  parent_id_tag: string | null;
  /** The type the token was pushed with (2.x lists tell tokens apart by value and type); null when unknown. */
  id_token_type: string | null;
}

export interface StartRequestsTable {
  id: string;
  charge_point_id: string;
  connector_id: number | null;
  id_tag: string;
  id_tag_key: string;
  status: string;
  transaction_id: number | null;
  detail: string | null;
  created_at: string;
  expires_at: string;
  updated_at: string;
  /** The integer a 2.x charger echoes in its TransactionEvent. */
  remote_start_id: number | null;
  evse_id: number | null;
  id_token_type: string | null;
}

export interface CommandsTable {
  id: Generated<number>;
  charge_point_id: string;
  action: string;
  /** JSON. */
  payload: string;
  /** JSON, or null when no answer came. */
  answer: string | null;
  status: string;
  error_code: string | null;
  error_message: string | null;
  requested_at: string;
  answered_at: string;
  duration_ms: number;
}

export interface EventsTable {
  id: string;
  event: string;
  occurred_at: string;
  /** JSON. */
  data: string;
  dispatched: Generated<number>;
}

export interface WebhooksTable {
  id: string;
  url: string;
  /** JSON array of event names or ["*"]. */
  events: string;
  secret: string;
  enabled: number;
  consecutive_failures: number;
  disabled_at: string | null;
  created_at: string;
}

export interface WebhookPendingTable {
  webhook_id: string;
  event_id: string;
  attempts: number;
  next_attempt_at: string;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: string;
  event_id: string;
  event: string;
  attempt: number;
  attempted_at: string;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

export interface ConnectionHistoryTable {
  id: Generated<number>;
  charge_point_id: string;
  kind: string;
  at: string;
  protocol: string | null;
  code: number | null;
  reason: string | null;
}

export interface ChargerCertificatesTable {
  id: Generated<number>;
  charge_point_id: string;
  /** Hex, as X.509 gives it. */
  serial_number: string;
  subject: string;
  issuer: string;
  not_before: string;
  not_after: string;
  /** signed: Voltgate had it signed for the charger; presented: the charger showed it at a TLS handshake. */
  source: string;
  recorded_at: string;
  expiry_warned_at: string | null;
}

export interface SecurityEventsTable {
  id: Generated<number>;
  charge_point_id: string;
  type: string;
  tech_info: string | null;
  source: string;
  occurred_at: string;
  received_at: string;
}

/** One row, written by the storage health probe (storage/health.ts). */
export interface StorageProbeTable {
  id: number;
  checked_at: string;
  room: Uint8Array | null;
}

/** What a charger sent unasked that is kept as it came. */
export interface ChargerMessagesTable {
  id: Generated<number>;
  charge_point_id: string;
  action: string;
  /** JSON. */
  payload: string;
  received_at: string;
}

export interface Database {
  events: EventsTable;
  webhooks: WebhooksTable;
  webhook_pending: WebhookPendingTable;
  webhook_deliveries: WebhookDeliveriesTable;
  connection_history: ConnectionHistoryTable;
  security_events: SecurityEventsTable;
  charger_certificates: ChargerCertificatesTable;
  charge_points: ChargePointsTable;
  connectors: ConnectorsTable;
  status_history: StatusHistoryTable;
  id_tags: IdTagsTable;
  transactions: TransactionsTable;
  meter_values: MeterValuesTable;
  orphan_stops: OrphanStopsTable;
  authorization_decisions: AuthorizationDecisionsTable;
  start_requests: StartRequestsTable;
  local_lists: LocalListsTable;
  local_list_entries: LocalListEntriesTable;
  commands: CommandsTable;
  storage_probe: StorageProbeTable;
  transaction_events: TransactionEventsTable;
  charger_messages: ChargerMessagesTable;
}
