// Commands sent to chargers, and remote starts waiting for their session.
import type { IsoTime, Page, PageQuery } from './common.js';

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

/** A message a charger sent unasked, kept as it came (its dialect's action name, its payload). */
export interface ChargerMessageInput {
  chargePointId: string;
  action: string;
  payload: unknown;
  receivedAt: IsoTime;
}

export interface ChargerMessageRecord extends ChargerMessageInput {
  id: number;
}

export interface ChargerMessageRepository {
  /** Not money: held while storage is away, like the command log. */
  record(input: ChargerMessageInput): Promise<void>;
  /** A charger's messages, newest first. */
  list(chargePointId: string, query: PageQuery): Promise<Page<ChargerMessageRecord>>;
}

export interface CommandLogRepository {
  record(input: CommandRecordInput): Promise<void>;
  /** A charger's commands, newest first. */
  list(chargePointId: string, query: PageQuery): Promise<Page<CommandRecord>>;
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
  /** The number the charger echoes with the session it starts for this request (2.x), positive int32. */
  remoteStartId: number | null;
  evseId: number | null;
  idTokenType: string | null;
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
  matchStart(input: { chargePointId: string; connectorId: number; idTag: string; transactionId: number; at: IsoTime; remoteStartId?: number | null }): Promise<string | null>;
  /** Chargers with a Pending request, to skip the lookup on every other StartTransaction. */
  chargersWithPending(now: IsoTime): Promise<string[]>;
}
