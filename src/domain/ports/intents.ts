// What the operator's side asks of a charger, in the domain's words: intents, not messages. Each OCPP dialect
// (ocpp/v16, and the next) encodes an intent as its own message and decodes the charger's answer back into
// the answer below, so the domain never names an action or builds a payload.
import type { AuthorizationStatus, IsoTime } from './common.js';

/** One entry of a charger's local authorization list: a token and what the charger should answer for it. */
/** A token as a list holds it: its value and, when known, its type (a 2.x list tells tokens apart by both). */
export interface ListToken {
  idTag: string;
  idTokenType?: string | null;
}

export interface ListEntry {
  idTag: string;
  idTagInfo: { status: AuthorizationStatus; expiryDate?: IsoTime; parentIdTag?: string };
  /** The token's type, when known (a 2.x list carries it). */
  idTokenType?: string | null;
}

export type ChargerIntent =
  /**
   * Start a session for this token, on this EVSE or connector or wherever the charger chooses. `remoteStartId`
   * is the number a dialect that has one sends along and the charger echoes with the session.
   */
  | { kind: 'startSession'; idTag: string; idTokenType: string | null; evseId: number | null; connectorId: number | null; remoteStartId: number }
  /** Stop this session: Voltgate's id, and what the charger calls it (its own string in dialects that have one). */
  | { kind: 'stopSession'; transactionId: number; chargerTransactionId: string | number }
  /** The version of the local authorization list the charger holds. */
  | { kind: 'readListVersion' }
  /** How many list entries the charger takes per update and holds in all (unknown: null). */
  | { kind: 'readListLimits' }
  /** Replace (Full) or change (Differential) the local list; `upserts` with their info, `removals` as the charger holds them. */
  | { kind: 'pushList'; version: number; update: 'Full' | 'Differential'; upserts: ListEntry[]; removals: ListToken[] }
  /** Empty the charger's authorization cache. */
  | { kind: 'clearCache' }
  /** Whether the charger still runs this session of its own naming, and still holds messages about it to send. */
  | { kind: 'readSessionState'; chargerTransactionId: string }
  /** Use this HTTP Basic password from now on (the charger reconnects with it). */
  | { kind: 'setPassword'; password: string }
  /**
   * Connect at this higher security profile from the next connection. `csmsUrl` and `slot`: where and in which
   * network configuration slot, for dialects that name the connection in full (2.x); others ignore them.
   */
  | { kind: 'raiseSecurityProfile'; profile: 2 | 3; csmsUrl: string | null; slot: number }
  /** The order in which the charger tries its network configuration slots (2.x). */
  | { kind: 'readNetworkPriority' }
  | { kind: 'setNetworkPriority'; slots: number[] }
  /** Restart when no session runs, so new connection settings take effect. */
  | { kind: 'restart' }
  /** Install this certificate chain (PEM), signed for the charger's own key, as the one it presents to Voltgate. */
  | { kind: 'installChargerCertificate'; chain: string }
  /** A message of the charger's own dialect, named and filled in by the operator (the API's command route). */
  | { kind: 'message'; action: string; payload: unknown };

export type IntentKind = ChargerIntent['kind'];
export type IntentOf<K extends IntentKind> = Extract<ChargerIntent, { kind: K }>;

/** Whether the charger agreed, and the word it used. */
export interface Consent {
  accepted: boolean;
  status: string;
}

export interface IntentAnswers {
  startSession: Consent;
  stopSession: Consent;
  readListVersion: { version: number };
  readListLimits: { perUpdate: number | null; capacity: number | null };
  /**
   * Accepted, Failed, NotSupported or VersionMismatch (anything else reads as Failed); `omitted`: the tokens of the
   * update the dialect cannot carry (a 1.x idTag is at most 20 characters), left out of what was sent.
   */
  pushList: { status: 'Accepted' | 'Failed' | 'NotSupported' | 'VersionMismatch'; omitted: string[] };
  clearCache: Consent;
  /** `ongoing` null: the charger did not say. */
  readSessionState: { ongoing: boolean | null; messagesQueued: boolean };
  setPassword: Consent;
  raiseSecurityProfile: Consent;
  /** The slots in the order tried; empty when the charger did not say. */
  readNetworkPriority: { slots: number[] };
  setNetworkPriority: Consent;
  restart: Consent;
  installChargerCertificate: Consent;
  /** The charger's answer as it came. */
  message: unknown;
}
