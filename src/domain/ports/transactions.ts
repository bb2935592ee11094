// Charging sessions and their meter values in storage: the money-bearing writes and the reads.
import type { AuthorizationStatus, IsoTime, Page, PageQuery } from './common.js';
import type { DomainEvent } from './events.js';

export interface SessionStartInput {
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

export interface SessionStartResult {
  transactionId: number;
  /** True when this exact StartTransaction was recorded before (a retry): nothing new was written. */
  duplicate: boolean;
  authorizationStatus: AuthorizationStatus;
}

export interface SessionStopInput {
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

export type SessionStopResult =
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

export type SessionEventType = 'started' | 'updated' | 'ended';

export interface FoldedEvent {
  type: SessionEventType;
  /** The charger's time, normalised to UTC. */
  timestamp: IsoTime;
  evseId: number | null;
  connectorId: number | null;
  /** The token this event presents, with the status it was given. */
  token: { idTag: string; type: string | null; status: AuthorizationStatus } | null;
  chargingState: string | null;
  triggerReason: string;
  /** Why the session ended (an "ended" event), in the dialect's words, its default applied. */
  stopReason: string | null;
  samples: MeterSampleInput[];
  flags: string[];
}

export interface SessionState {
  connectorId: number;
  evseId: number | null;
  idTag: string;
  idTokenType: string | null;
  authorizationStatus: AuthorizationStatus;
  startedAt: IsoTime;
  meterStartWh: number;
  meterStartSource: 'begin' | 'reading' | 'none';
  meterStartAt: IsoTime | null;
  /** Null with meterStopSource 'reading' while the latest register reading is not known: see SessionFold.stopsAtLatestReading. */
  meterStopWh: number | null;
  meterStopSource: 'end' | 'reading' | null;
  stoppedAt: IsoTime | null;
  stopReason: string | null;
  stopIdTag: string | null;
  chargingState: string | null;
  triggerReason: string | null;
  flags: string[];
}

/** One event of a session the charger names and numbers itself (2.x TransactionEvent). */
export interface SessionEventInput {
  chargePointId: string;
  /** The charger's own name of the session. */
  chargerTransactionId: string;
  seqNo: number;
  event: FoldedEvent;
  /** Sent from the charger's offline queue. */
  offline: boolean;
  /** The message as received, kept with the event. */
  payload: unknown;
  /** The domain's rules (domain/transactions/session-fold.ts), applied by storage inside the event's commit. */
  fold: SessionFold;
  settleEnergy: SettleStopEnergy;
}

/**
 * How events make a session. A session that ends without a Transaction.End reading stops at its latest register
 * reading, which only all its samples tell: the fold leaves that stop open (`stopsAtLatestReading`) and storage
 * closes it with the session's stored samples and the event's, so an event that only brings readings changes
 * nothing of the stored session.
 */
export interface SessionFold {
  open(event: FoldedEvent): SessionState;
  apply(state: SessionState, event: FoldedEvent): SessionState;
  stopsAtLatestReading(state: SessionState): boolean;
  stopAtLatestReading(state: SessionState, samples: ReadonlyArray<Pick<MeterSampleInput, 'timestamp' | 'measurand' | 'value' | 'unit' | 'phase'>>): SessionState;
}

export interface SessionEventResult {
  transaction: TransactionRecord;
  /** This seqNo of this session was recorded before: nothing changed. */
  duplicate: boolean;
  /** This event made the session. */
  created: boolean;
  /** This event ended the session. */
  ended: boolean;
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
  /** The EVSE of the connector, when the charger named one (2.x). */
  evseId: number | null;
  /** What the charger calls the session: its own string in 2.x, Voltgate's id in 1.x. */
  chargerTransactionId: string | number;
  /** The type of the session's token (2.x: ISO14443, eMAID …); null when the dialect has none. */
  idTokenType: string | null;
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

export interface TransactionRepository {
  /** Durable before it resolves; the same start sent twice resolves to the same transaction id. */
  /** `events` builds the outbox events from the result; they commit with the write. */
  start(input: SessionStartInput, events?: (result: SessionStartResult) => DomainEvent[]): Promise<SessionStartResult>;
  stop(input: SessionStopInput, events?: (result: SessionStopResult) => DomainEvent[]): Promise<SessionStopResult>;
  addMeterValues(input: MeterValuesInput, events?: DomainEvent[]): Promise<void>;
  /** Durable before it resolves; the same seqNo of the same session twice changes nothing the second time. */
  recordEvent(input: SessionEventInput, events?: (result: SessionEventResult) => DomainEvent[]): Promise<SessionEventResult>;
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
