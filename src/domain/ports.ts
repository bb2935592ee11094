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
}

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
  /** meterStop − meterStart; null while active or when the meter went backwards (then flagged). */
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
  recordStatus(input: StatusRecordInput): Promise<void>;
  /** Last-seen times are not money: written lazily, in bulk. */
  markSeen(ids: string[], at: IsoTime): Promise<void>;
}

export interface IdTagRepository {
  get(idTag: string): Promise<IdTagRecord | null>;
  list(query: PageQuery & { status?: IdTagStatus }): Promise<Page<IdTagRecord>>;
  /** Every tag, to build the in-memory decision table at start. */
  all(): Promise<IdTagRecord[]>;
  put(input: IdTagInput): Promise<IdTagRecord>;
  delete(idTag: string): Promise<boolean>;
}

export interface TransactionRepository {
  /** Durable before it resolves; the same start sent twice resolves to the same transaction id. */
  start(input: StartTransactionInput): Promise<StartTransactionResult>;
  stop(input: StopTransactionInput): Promise<StopTransactionResult>;
  addMeterValues(input: MeterValuesInput): Promise<void>;
  get(id: number): Promise<TransactionDetail | null>;
  list(filter: TransactionFilter, query: PageQuery): Promise<Page<TransactionRecord>>;
  /** Pages through every match in id order, a page at a time, for exports. */
  iterate(filter: TransactionFilter, pageSize?: number): AsyncIterable<TransactionRecord>;
  countActiveForTag(idTag: string): Promise<number>;
}

export interface Storage {
  readonly dialect: 'sqlite' | 'postgres';
  chargePoints: ChargePointRepository;
  idTags: IdTagRepository;
  transactions: TransactionRepository;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface Clock {
  now(): Date;
}

/** Sends CSMS-initiated calls to a connected charger, wherever its connection lives. */
export interface ChargerGateway {
  isConnected(chargePointId: string): boolean;
  protocolOf(chargePointId: string): string | null;
  call(chargePointId: string, action: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
}
