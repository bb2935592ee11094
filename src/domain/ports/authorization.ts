// Authorization: recorded decisions, the operator's own authorizer, chargers' Local Authorization Lists.
import type { AuthorizationStatus, IsoTime, Page, PageQuery } from './common.js';
import type { DomainEvent } from './events.js';
import type { ListToken } from './intents.js';

/**
 * Why a token is decided, in the contract's words (PRODUCT.md: the decision log and the authorizer callout say
 * Authorize, StartTransaction, StopTransaction or RemoteStart). The dialect map that received the message gives it.
 */
export type DecisionReason = string;

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
  /** The token's type as the charger presented it (2.x), or null. */
  idTokenType: string | null;
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

/** The body POSTed to the operator's authorizer (PRODUCT.md "Remote authorization"). */
export interface RemoteAuthorizationRequest {
  chargePointId: string;
  connectorId: number | null;
  idTag: string;
  reason: DecisionReason;
  /** The token's type as the charger presented it (2.x); left out when it gave none. */
  idTokenType?: string;
}

/** The operator's own authorization service; resolves with its raw JSON answer, rejects when slow or down. */
export interface RemoteAuthorizer {
  ask(request: RemoteAuthorizationRequest): Promise<unknown>;
}

/** One entry of a charger's Local Authorization List (OCPP 1.6 §5.15 AuthorizationData). */
export interface LocalListEntry {
  idTag: string;
  idTagInfo: { status: AuthorizationStatus; expiryDate?: IsoTime; parentIdTag?: string };
  /** The token's type, when the whitelist knows it (a 2.x list carries it). */
  idTokenType?: string | null;
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
   * entries with `upserts`; a Differential drops `removals`, then adds or replaces `upserts`.
   */
  recordAccepted(input: {
    chargePointId: string;
    listVersion: number;
    updateType: 'Full' | 'Differential';
    upserts: LocalListEntry[];
    removals: ListToken[];
    at: IsoTime;
  }): Promise<void>;
  recordNotSupported(chargePointId: string, at: IsoTime): Promise<void>;
  recordLimits(chargePointId: string, limits: { sendLocalListMaxLength: number | null; localAuthListMaxLength: number | null }, at: IsoTime): Promise<void>;
}
