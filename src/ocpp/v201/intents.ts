// The operator's intents (domain/ports/intents.ts) as OCPP 2.0.1 messages, and the station's 2.0.1 answers back
// in the domain's words. The answers arrive already checked against the 2.0.1 response schemas (ocpp/rpc).
import type { ChargerIntent, IntentAnswers, IntentKind, IntentOf, ListEntry } from '../../domain/ports.js';
import { IntentNotExpressibleError, type DialectIntents, type EncodedIntent } from '../dialect.js';
import type { V201Request, V201Response } from './handlers.js';
import { idTokenInfo } from './tokens.js';

type IdTokenKind = V201Request<'Authorize'>['idToken']['type'];
const TOKEN_TYPES = new Set<string>(['Central', 'eMAID', 'ISO14443', 'ISO15693', 'KeyCode', 'Local', 'MacAddress', 'NoAuthorization']);

/** A token whose type Voltgate does not know is taken for an RFID card, the usual whitelist entry. */
const DEFAULT_LIST_TOKEN_TYPE: IdTokenKind = 'ISO14443';
/** A remote start for a token of unknown type: one the CSMS vouches for (C.Central). */
const DEFAULT_REMOTE_TOKEN_TYPE: IdTokenKind = 'Central';

const tokenType = (type: string | null, fallback: IdTokenKind): IdTokenKind => (type !== null && TOKEN_TYPES.has(type) ? (type as IdTokenKind) : fallback);

/** The device model variables (Part 2, LocalAuthListCtrlr) that bound one SendLocalList: its entries and its bytes. */
const ITEMS_PER_MESSAGE = { component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'ItemsPerMessage' } };
const BYTES_PER_MESSAGE = { component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'BytesPerMessage' } };
/**
 * Bytes the largest entry can take in a SendLocalList (two 36-character tokens of the longest type, the longest
 * status, an expiry), and what a message takes besides its entries (the OCPP-J frame and the other fields): a
 * BytesPerMessage limit is kept by sending at most (limit - envelope) / entry entries.
 */
const MAX_ENTRY_BYTES = 272;
const ENVELOPE_BYTES = 200;

function encode(intent: ChargerIntent): EncodedIntent {
  switch (intent.kind) {
    case 'startSession': {
      // One connector per EVSE is the common station: a connector asked for names the EVSE of that number.
      const evseId = intent.evseId ?? intent.connectorId;
      const payload: V201Request<'RequestStartTransaction'> = {
        idToken: { idToken: intent.idTag, type: tokenType(intent.idTokenType, DEFAULT_REMOTE_TOKEN_TYPE) },
        remoteStartId: intent.remoteStartId,
        ...(evseId !== null && evseId > 0 ? { evseId } : {}),
      };
      return { action: 'RequestStartTransaction', payload };
    }
    case 'stopSession':
      return { action: 'RequestStopTransaction', payload: { transactionId: String(intent.chargerTransactionId) } };
    case 'readListVersion':
      return { action: 'GetLocalListVersion', payload: {} };
    case 'readListLimits':
      return { action: 'GetVariables', payload: { getVariableData: [ITEMS_PER_MESSAGE, BYTES_PER_MESSAGE] } };
    case 'pushList': {
      // Removals first, as entries without idTokenInfo (D01.FR.05), then adds and updates. A removal names the
      // token under the type the station holds it by (D01.FR.17: an entry is the token and its type); one that the
      // same message sends again under that type is replaced by it, not named twice.
      const upserts = intent.upserts.map(authorizationData);
      const sentAgain = new Set(upserts.map((entry) => entryKey(entry.idToken)));
      const removals = intent.removals
        .map((token) => ({ idToken: { idToken: token.idTag, type: tokenType(token.idTokenType ?? null, DEFAULT_LIST_TOKEN_TYPE) } }))
        .filter((entry) => !sentAgain.has(entryKey(entry.idToken)));
      const list = [...removals, ...upserts];
      const payload: V201Request<'SendLocalList'> = {
        versionNumber: intent.version,
        updateType: intent.update,
        ...(list.length > 0 ? { localAuthorizationList: list as NonNullable<V201Request<'SendLocalList'>['localAuthorizationList']> } : {}),
      };
      return { action: 'SendLocalList', payload };
    }
    case 'clearCache':
      return { action: 'ClearCache', payload: {} };
    case 'readSessionState':
      return { action: 'GetTransactionStatus', payload: { transactionId: intent.chargerTransactionId } };
    case 'setPassword':
      return { action: 'SetVariables', payload: { setVariableData: [{ ...BASIC_AUTH_PASSWORD, attributeValue: intent.password }] } };
    case 'raiseSecurityProfile': {
      if (intent.csmsUrl === null) throw new IntentNotExpressibleError('ocpp2.0.1', 'raiseSecurityProfile without the CSMS URL');
      const payload: V201Request<'SetNetworkProfile'> = {
        configurationSlot: intent.slot,
        connectionData: { ocppVersion: 'OCPP20', ocppTransport: 'JSON', ocppCsmsUrl: intent.csmsUrl, messageTimeout: NETWORK_MESSAGE_TIMEOUT_S, securityProfile: intent.profile, ocppInterface: 'Wired0' },
      };
      return { action: 'SetNetworkProfile', payload };
    }
    case 'readNetworkPriority':
      return { action: 'GetVariables', payload: { getVariableData: [NETWORK_PRIORITY] } };
    case 'setNetworkPriority':
      return { action: 'SetVariables', payload: { setVariableData: [{ ...NETWORK_PRIORITY, attributeValue: intent.slots.join(',') }] } };
    case 'restart':
      // OnIdle: a session in progress ends first (B11.FR.05).
      return { action: 'Reset', payload: { type: 'OnIdle' } };
    case 'installChargerCertificate':
      return { action: 'CertificateSigned', payload: { certificateChain: intent.chain, certificateType: 'ChargingStationCertificate' } };
    case 'message':
      return { action: intent.action, payload: intent.payload };
  }
}

/** The device model variables (Part 2) of a password change (A01) and a profile change (A05). */
const BASIC_AUTH_PASSWORD = { component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } };
const NETWORK_PRIORITY = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NetworkConfigurationPriority' } };
/** The messageTimeout of a new network profile, in seconds. */
const NETWORK_MESSAGE_TIMEOUT_S = 30;

/** The first SetVariables result's status: Accepted, RebootRequired, Rejected, UnknownVariable … */
const firstResultStatus = (answer: unknown) => (answer as V201Response<'SetVariables'>).setVariableResult[0]?.attributeStatus ?? 'Rejected';

const entryKey = (token: { idToken: string; type: string }) => `${token.type}\u0000${token.idToken.toUpperCase()}`;

function authorizationData(entry: ListEntry) {
  return { idToken: { idToken: entry.idTag, type: tokenType(entry.idTokenType ?? null, DEFAULT_LIST_TOKEN_TYPE) }, idTokenInfo: idTokenInfo(entry.idTagInfo) };
}

function decode<K extends IntentKind>(intent: IntentOf<K>, answer: unknown): IntentAnswers[K] {
  const decoded = ((): IntentAnswers[IntentKind] => {
    switch (intent.kind) {
      case 'startSession':
      case 'stopSession':
      case 'clearCache': {
        const status = (answer as V201Response<'RequestStartTransaction' | 'RequestStopTransaction' | 'ClearCache'>).status;
        return { accepted: status === 'Accepted', status };
      }
      case 'readListVersion':
        return { version: (answer as V201Response<'GetLocalListVersion'>).versionNumber };
      case 'readListLimits': {
        const results = (answer as V201Response<'GetVariables'>).getVariableResult;
        const read = (name: string): number | null => {
          const result = results.find((r) => r.variable.name === name);
          const value = result?.attributeStatus === 'Accepted' ? (result.attributeValue ?? '').trim() : '';
          return /^\d+$/.test(value) ? Number(value) : null;
        };
        const items = read('ItemsPerMessage');
        const bytes = read('BytesPerMessage');
        const byBytes = bytes === null ? null : Math.max(1, Math.floor((bytes - ENVELOPE_BYTES) / MAX_ENTRY_BYTES));
        const known = [items, byBytes].filter((limit): limit is number => limit !== null);
        // How many entries a station holds is a characteristic (maxLimit of Entries), which GetVariables does not
        // return: that limit stays unknown.
        return { perUpdate: known.length > 0 ? Math.min(...known) : null, capacity: null };
      }
      case 'pushList':
        // Every whitelist token fits a 2.0.1 list (36 characters).
        return { status: (answer as V201Response<'SendLocalList'>).status, omitted: [] };
      case 'readSessionState': {
        const state = answer as V201Response<'GetTransactionStatus'>;
        return { ongoing: state.ongoingIndicator ?? null, messagesQueued: state.messagesInQueue };
      }
      case 'setPassword':
      case 'setNetworkPriority': {
        const status = firstResultStatus(answer);
        return { accepted: status === 'Accepted', status };
      }
      case 'raiseSecurityProfile':
      case 'installChargerCertificate': {
        const status = (answer as V201Response<'SetNetworkProfile' | 'CertificateSigned'>).status;
        return { accepted: status === 'Accepted', status };
      }
      case 'restart': {
        // Scheduled: the station restarts when its sessions have ended.
        const status = (answer as V201Response<'Reset'>).status;
        return { accepted: status !== 'Rejected', status };
      }
      case 'readNetworkPriority': {
        const result = (answer as V201Response<'GetVariables'>).getVariableResult[0];
        const value = result?.attributeStatus === 'Accepted' ? (result.attributeValue ?? '') : '';
        return { slots: value.split(',').map((slot) => slot.trim()).filter((slot) => /^\d+$/.test(slot)).map(Number) };
      }
      case 'message':
        return answer;
    }
  })();
  return decoded as IntentAnswers[K];
}

export const v201Intents: DialectIntents = { encode, decode };
