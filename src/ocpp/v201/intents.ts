// The operator's intents (domain/ports/intents.ts) as OCPP 2.0.1 messages, and the station's 2.0.1 answers back
// in the domain's words. The answers arrive already checked against the 2.0.1 response schemas (ocpp/rpc).
import type { ChargerIntent, IntentAnswers, IntentKind, IntentOf, ListEntry } from '../../domain/ports.js';
import type { DialectIntents, EncodedIntent } from '../dialect.js';
import type { V201Request, V201Response } from './handlers.js';
import { idTokenInfo } from './tokens.js';

type IdTokenKind = V201Request<'Authorize'>['idToken']['type'];
const TOKEN_TYPES = new Set<string>(['Central', 'eMAID', 'ISO14443', 'ISO15693', 'KeyCode', 'Local', 'MacAddress', 'NoAuthorization']);

/** A token whose type Voltgate does not know is taken for an RFID card, the usual whitelist entry. */
const DEFAULT_LIST_TOKEN_TYPE: IdTokenKind = 'ISO14443';
/** A remote start for a token of unknown type: one the CSMS vouches for (C.Central). */
const DEFAULT_REMOTE_TOKEN_TYPE: IdTokenKind = 'Central';

const tokenType = (type: string | null, fallback: IdTokenKind): IdTokenKind => (type !== null && TOKEN_TYPES.has(type) ? (type as IdTokenKind) : fallback);

/** The device model variable (Part 2, LocalAuthListCtrlr) that bounds how many entries one SendLocalList carries. */
const ITEMS_PER_MESSAGE = { component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'ItemsPerMessage' } };

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
      return { action: 'GetVariables', payload: { getVariableData: [ITEMS_PER_MESSAGE] } };
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
    case 'message':
      return { action: intent.action, payload: intent.payload };
  }
}

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
        const result = (answer as V201Response<'GetVariables'>).getVariableResult.find((r) => r.variable.name === 'ItemsPerMessage');
        const value = result?.attributeStatus === 'Accepted' ? (result.attributeValue ?? '').trim() : '';
        // 2.0.1 names no variable for how many entries a station holds: that limit stays unknown.
        return { perUpdate: /^\d+$/.test(value) ? Number(value) : null, capacity: null };
      }
      case 'pushList':
        // Every whitelist token fits a 2.0.1 list (36 characters).
        return { status: (answer as V201Response<'SendLocalList'>).status, omitted: [] };
      case 'readSessionState': {
        const state = answer as V201Response<'GetTransactionStatus'>;
        return { ongoing: state.ongoingIndicator ?? null, messagesQueued: state.messagesInQueue };
      }
      case 'message':
        return answer;
    }
  })();
  return decoded as IntentAnswers[K];
}

export const v201Intents: DialectIntents = { encode, decode };
