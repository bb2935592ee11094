// The interfaces the domain needs from the outside world. Storage implements the repositories,
// the OCPP layer implements ChargerGateway, server/ wires them together. The domain imports nothing else.

export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';
export type IdTagStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid';
/** What we answer in idTagInfo.status (OCPP 1.6 AuthorizationStatus). */
export type AuthorizationStatus = IdTagStatus | 'ConcurrentTx';

/** All times crossing these interfaces are ISO-8601 UTC strings with milliseconds: 2026-01-02T03:04:05.000Z. */
export type IsoTime = string;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  limit: number;
  cursor?: string | null;
}

export interface ConnectorRecord {
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
}

export interface ChargePointInput {
  id: string;
  registrationStatus?: RegistrationStatus;
  vendor?: string | null;
  model?: string | null;
  /** null removes the password; left out keeps it. */
  passwordHash?: string | null;
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
  connectorId: number;
  status: string;
  errorCode: string;
  info: string | null;
  vendorId: string | null;
  vendorErrorCode: string | null;
  /** The charger's timestamp when it sent one, else the time we received it. */
  timestamp: IsoTime;
}

export interface IdTagRecord {
  idTag: string;
  status: IdTagStatus;
  expiryDate: IsoTime | null;
  parentIdTag: string | null;
  maxActiveTransactions: number | null;
  label: string | null;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

export type IdTagInput = Omit<IdTagRecord, 'createdAt' | 'updatedAt'>;

/** The fields of a tag besides idTag and status: a bulk write may keep their stored values. */
export type IdTagOptionalField = 'expiryDate' | 'parentIdTag' | 'maxActiveTransactions' | 'label';

export interface IdTagListQuery extends PageQuery {
  status?: IdTagStatus;
  /** Exact, case-insensitive. */
  parentIdTag?: string;
  /** Case-insensitive prefix of the idTag. */
  q?: string;
}

export interface IdTagBulkOptions {
  /** Fields an existing tag keeps as stored (the import file had no such column); new tags get null. */
  keep?: readonly IdTagOptionalField[];
}

export interface StartTransactionInput {
  chargePointId: string;
  connectorId: number;
  idTag: string;
  meterStartWh: number;
  startedAt: IsoTime;
  reservationId: number | null;
  /** The idTagInfo.status we answer; a retried StartTransaction gets the stored one back. */
  authorizationStatus: AuthorizationStatus;
  /** Why the session needs a second look (e.g. 'tag-not-accepted', 'timestamp-in-future'). */
  flags: string[];
}

export interface StartTransactionResult {
  transactionId: number;
  /** True when this exact StartTransaction was recorded before (a retry): nothing new was written. */
  duplicate: boolean;
  authorizationStatus: AuthorizationStatus;
}

export interface StopTransactionInput {
  chargePointId: string;
  /** As the charger reported it: may be -1 or 0 for a session started offline and never acknowledged. */
  transactionId: number;
  idTag: string | null;
  meterStopWh: number;
  stoppedAt: IsoTime;
  reason: string;
  /** StopTransaction.transactionData exactly as received, or null. */
  transactionData: unknown;
  /** transactionData as meter samples: stored with the stop, in the same commit, only when this stop applies. */
  samples: MeterSampleInput[];
  flags: string[];
  /** Decides the energy stored with the stop (domain/transactions/energy.ts); see SettleStopEnergy. */
  settleEnergy: SettleStopEnergy;
}

/** A stopped session's energy and the flags that explain where it came from. */
export interface SettledEnergy {
  energyWh: number | null;
  flags: string[];
}

/**
 * Called by storage as it applies a stop, first without samples: null then means meterStop − meterStart cannot
 * be right and the session's samples decide, so storage reads them (with the stop's own) and calls again, all in
 * the stop's commit. The stored session and its transaction.stopped event then carry the same energy.
 */
export type SettleStopEnergy = (
  session: { meterStartWh: number; meterStopWh: number; startedAt: IsoTime; stoppedAt: IsoTime },
  samples: ReadonlyArray<Pick<MeterSampleInput, 'timestamp' | 'measurand' | 'value' | 'unit' | 'phase'>> | null,
) => SettledEnergy | null;

export type StopTransactionResult =
  | { outcome: 'stopped'; transaction: TransactionRecord }
  /** The transaction was stopped before: nothing changed. */
  | { outcome: 'already-stopped'; transaction: TransactionRecord }
  /** Unknown transaction (or -1/0 that matched no single open session): kept for reconciliation. */
  | { outcome: 'quarantined'; orphanId: number };

export interface MeterSampleInput {
  timestamp: IsoTime;
  value: string;
  measurand: string;
  unit: string | null;
  phase: string | null;
  context: string | null;
  location: string | null;
  format: string | null;
}

export interface MeterValuesInput {
  chargePointId: string;
  connectorId: number;
  /** As reported; may name an unknown or stopped transaction (stored all the same). */
  transactionId: number | null;
  samples: MeterSampleInput[];
}

export type TransactionStatus = 'Active' | 'Completed';

export interface TransactionRecord {
  id: number;
  chargePointId: string;
  connectorId: number;
  idTag: string;
  startedAt: IsoTime;
  stoppedAt: IsoTime | null;
  meterStartWh: number;
  meterStopWh: number | null;
  /** meterStop − meterStart, or the register meter values when that cannot be right (flagged); null while active or when nothing is believable. */
  energyWh: number | null;
  stopReason: string | null;
  stopIdTag: string | null;
  status: TransactionStatus;
  authorizationStatus: AuthorizationStatus;
  flags: string[];
}

export interface MeterValueRecord {
  timestamp: IsoTime;
  measurand: string;
  value: string;
  unit: string | null;
  phase: string | null;
  context: string | null;
  location: string | null;
}

export interface TransactionDetail extends TransactionRecord {
  meterValues: MeterValueRecord[];
  transactionData: unknown;
}

export interface TransactionFilter {
  chargePointId?: string;
  idTag?: string;
  /** startedAt ≥ from */
  from?: IsoTime;
  /** startedAt < to */
  to?: IsoTime;
  active?: boolean;
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
   * Keeps the status in the history, and as the connector's current one unless a newer one is known. `events`
   * is told whether the current status changed (a repeat of the same status and error is no change).
   */
  recordStatus(input: StatusRecordInput, events?: (changed: boolean) => DomainEvent[]): Promise<void>;
  /** Last-seen times are not money: written lazily, in bulk. */
  markSeen(ids: string[], at: IsoTime): Promise<void>;
}

export interface IdTagRepository {
  get(idTag: string): Promise<IdTagRecord | null>;
  list(query: IdTagListQuery): Promise<Page<IdTagRecord>>;
  /** Every tag, to build the in-memory decision table at start. */
  all(): Promise<IdTagRecord[]>;
  put(input: IdTagInput): Promise<IdTagRecord>;
  /** Creates or replaces every tag in one transaction: all or nothing. idTags must be unique (case-insensitively). */
  putMany(inputs: IdTagInput[], options?: IdTagBulkOptions): Promise<{ created: number; updated: number }>;
  delete(idTag: string): Promise<boolean>;
}

export interface TransactionRepository {
  /** Durable before it resolves; the same start sent twice resolves to the same transaction id. */
  /** `events` builds the outbox events from the result; they commit with the write. */
  start(input: StartTransactionInput, events?: (result: StartTransactionResult) => DomainEvent[]): Promise<StartTransactionResult>;
  stop(input: StopTransactionInput, events?: (result: StopTransactionResult) => DomainEvent[]): Promise<StopTransactionResult>;
  addMeterValues(input: MeterValuesInput, events?: DomainEvent[]): Promise<void>;
  get(id: number): Promise<TransactionDetail | null>;
  list(filter: TransactionFilter, query: PageQuery): Promise<Page<TransactionRecord>>;
  /** Pages through every match in id order, a page at a time, for exports. */
  iterate(filter: TransactionFilter, pageSize?: number): AsyncIterable<TransactionRecord>;
  /** Every open session's id and tag, to load the in-memory ConcurrentTx counts at start. */
  listOpen(): Promise<Array<{ id: number; idTag: string }>>;
  /** Adds flags to a session (a second look is needed), keeping the ones it has. */
  addFlags(id: number, flags: string[]): Promise<void>;
  /** Totals per group over sessions matching the filter (see SessionTotals). */
  /** A page of groups in byte-wise key order (of the group's upper-cased tag, for idTag). */
  totals(groupBy: TotalsGroupBy, filter: TransactionFilter, page: PageQuery): Promise<Page<SessionTotals>>;
}

export type TotalsGroupBy = 'chargePoint' | 'idTag' | 'day';

/** One group of GET /statistics: sessions started in it; energy and duration of its completed sessions. */
export interface SessionTotals {
  /** The charger id, the idTag (byte-wise smallest spelling of the case-insensitive group), or the UTC day (YYYY-MM-DD) the sessions started. */
  key: string;
  sessions: number;
  activeSessions: number;
  energyWh: number;
  durationS: number;
}

/** How a command sent to a charger ended: its answer (ok; rejected when the answer's status says no), or why none came. */
export type CommandOutcome = 'ok' | 'rejected' | 'error' | 'timeout';

export interface CommandRecordInput {
  chargePointId: string;
  action: string;
  payload: unknown;
  /** The charger's answer, or null when none came. */
  answer: unknown;
  status: CommandOutcome;
  /** The CALLERROR code, or a word for what else went wrong (NotConnected); null when answered. */
  errorCode: string | null;
  errorMessage: string | null;
  requestedAt: IsoTime;
  answeredAt: IsoTime;
  durationMs: number;
}

export interface CommandRecord extends CommandRecordInput {
  id: number;
}

export interface CommandLogRepository {
  record(input: CommandRecordInput): Promise<void>;
  /** A charger's commands, newest first. */
  list(chargePointId: string, query: PageQuery): Promise<Page<CommandRecord>>;
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
  commands: CommandLogRepository;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What an authorization decision was for. */
export type DecisionReason = 'Authorize' | 'StartTransaction' | 'StopTransaction' | 'RemoteStart';
/**
 * Who decided: the whitelist (no authorizer configured, or a stop), the operator's authorizer, its cached
 * answer, or the whitelist as a fallback because the authorizer was slow, down or answered nonsense.
 */
export type DecisionSource = 'whitelist' | 'authorizer' | 'authorizer-cache' | 'fallback';

export interface AuthorizationDecisionInput {
  chargePointId: string;
  connectorId: number | null;
  idTag: string;
  reason: DecisionReason;
  status: AuthorizationStatus;
  source: DecisionSource;
  /** Why a fallback happened ("authorizer timed out after 2000 ms"), or null. */
  detail: string | null;
  decidedAt: IsoTime;
}

export interface AuthorizationDecisionRecord extends AuthorizationDecisionInput {
  id: number;
}

export interface AuthorizationDecisionFilter {
  chargePointId?: string;
  idTag?: string;
  source?: DecisionSource;
  from?: IsoTime;
  to?: IsoTime;
}

export interface AuthorizationDecisionRepository {
  /** An append, group-committed; not money, so nobody waits for it. */
  record(input: AuthorizationDecisionInput, events?: DomainEvent[]): Promise<void>;
  /** Newest first. */
  list(filter: AuthorizationDecisionFilter, query: PageQuery): Promise<Page<AuthorizationDecisionRecord>>;
}

/**
 * What became of a remote start (PRODUCT.md `GET /api/v1/start-requests/{id}`): Pending until the charger's
 * StartTransaction for it arrives (Started, with its transaction id), the charger refuses or cannot be
 * reached (Failed), or no session began in time (TimedOut).
 */
export type StartRequestStatus = 'Pending' | 'Started' | 'Failed' | 'TimedOut';

export interface StartRequestRecord {
  id: string;
  chargePointId: string;
  connectorId: number | null;
  idTag: string;
  status: StartRequestStatus;
  transactionId: number | null;
  /** Why it failed, in words. */
  detail: string | null;
  createdAt: IsoTime;
  /** A Pending request after this time is TimedOut. */
  expiresAt: IsoTime;
  updatedAt: IsoTime;
}

export interface StartRequestRepository {
  create(record: StartRequestRecord): Promise<void>;
  get(id: string): Promise<StartRequestRecord | null>;
  /** Moves a request on; only a Pending one changes. */
  settle(id: string, change: { status: StartRequestStatus; transactionId?: number | null; detail?: string | null; at: IsoTime }): Promise<void>;
  /**
   * The StartTransaction a remote start asked for: marks the oldest Pending, unexpired request of this
   * charger and tag (and connector, when the request named one) Started. Null when none matched.
   */
  matchStart(input: { chargePointId: string; connectorId: number; idTag: string; transactionId: number; at: IsoTime }): Promise<string | null>;
  /** Chargers with a Pending request, to skip the lookup on every other StartTransaction. */
  chargersWithPending(now: IsoTime): Promise<string[]>;
}

/** The body POSTed to the operator's authorizer (PRODUCT.md "Remote authorization"). */
export interface RemoteAuthorizationRequest {
  chargePointId: string;
  connectorId: number | null;
  idTag: string;
  reason: DecisionReason;
}

/** The operator's own authorization service; resolves with its raw JSON answer, rejects when slow or down. */
export interface RemoteAuthorizer {
  ask(request: RemoteAuthorizationRequest): Promise<unknown>;
}

export interface Clock {
  now(): Date;
}

/** One entry of a charger's Local Authorization List (OCPP 1.6 §5.15 AuthorizationData). */
export interface LocalListEntry {
  idTag: string;
  idTagInfo: { status: AuthorizationStatus; expiryDate?: IsoTime; parentIdTag?: string };
}

/** What Voltgate knows of one charger's Local Authorization List. */
export interface LocalListState {
  chargePointId: string;
  /** The version the charger last answered Accepted to; 0 before any. */
  listVersion: number;
  /** The charger answered SendLocalList with NotSupported: no further SendLocalList is sent. */
  notSupported: boolean;
  /** SendLocalListMaxLength / LocalAuthListMaxLength as the charger reported them; null: no limit known. */
  sendLocalListMaxLength: number | null;
  localAuthListMaxLength: number | null;
  /** When the limits were read with GetConfiguration; null: not yet. */
  limitsReadAt: IsoTime | null;
  updatedAt: IsoTime;
}

export interface LocalListRepository {
  get(chargePointId: string): Promise<LocalListState | null>;
  /** The entries the charger holds at its acknowledged version. */
  entries(chargePointId: string): Promise<LocalListEntry[]>;
  /**
   * The charger answered Accepted: its new version and its entries, in one commit. A Full replaces the
   * entries with `upserts`; a Differential adds or replaces `upserts` and drops `removals` (idTags).
   */
  recordAccepted(input: {
    chargePointId: string;
    listVersion: number;
    updateType: 'Full' | 'Differential';
    upserts: LocalListEntry[];
    removals: string[];
    at: IsoTime;
  }): Promise<void>;
  recordNotSupported(chargePointId: string, at: IsoTime): Promise<void>;
  recordLimits(chargePointId: string, limits: { sendLocalListMaxLength: number | null; localAuthListMaxLength: number | null }, at: IsoTime): Promise<void>;
}

/** Where the domain's background work logs (pino satisfies it). */
export interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** What chargers' messages tell the domain's background work: called once the answer is decided, returns at once. */
export interface ChargerSignals {
  booted(chargePointId: string, status: RegistrationStatus): void;
  /** StatusNotification connectorId 0 with errorCode LocalListConflict (OCPP 1.6 §3.5.2). */
  localListConflict(chargePointId: string): void;
}

/** Sends CSMS-initiated calls to a connected charger, wherever its connection lives. */
export interface ChargerGateway {
  isConnected(chargePointId: string): boolean;
  protocolOf(chargePointId: string): string | null;
  call(chargePointId: string, action: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
}

// ---- Events (PRODUCT.md "Webhook events"): written to the outbox in the same commit as what they describe.

export type EventName =
  | 'charge_point.connected'
  | 'charge_point.disconnected'
  | 'charge_point.offline'
  | 'charge_point.status_changed'
  | 'transaction.started'
  | 'transaction.meter_values'
  | 'transaction.stopped'
  | 'authorization.decided';

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
