// The operator's intents (domain/ports/intents.ts) as OCPP 1.6 messages, and the charger's 1.6 answers back in
// the domain's words. The answers arrive already checked against the 1.6 response schemas (ocpp/rpc).
import type { ChargerIntent, IntentAnswers, IntentKind, IntentOf, ListEntry } from '../../domain/ports.js';
import { IntentNotExpressibleError, type DialectIntents, type EncodedIntent } from '../dialect.js';
import type { V16Methods } from '../schemas/generated/v16.js';

type Answer<A extends keyof V16Methods> = V16Methods[A]['response'];

/** The configuration keys (OCPP 1.6 §9.4) that bound a local list: entries per SendLocalList, entries held. */
const LIMIT_KEYS = ['SendLocalListMaxLength', 'LocalAuthListMaxLength'] as const;
const PUSH_STATUSES = new Set(['Accepted', 'Failed', 'NotSupported', 'VersionMismatch']);

function encode(intent: ChargerIntent): EncodedIntent {
  switch (intent.kind) {
    case 'startSession': {
      // No EVSEs in 1.6: each connector is one, so an EVSE asked for is the connector of that number.
      const connectorId = intent.connectorId ?? intent.evseId;
      return { action: 'RemoteStartTransaction', payload: { ...(connectorId !== null ? { connectorId } : {}), idTag: intent.idTag } };
    }
    case 'stopSession':
      return { action: 'RemoteStopTransaction', payload: { transactionId: intent.transactionId } };
    case 'readListVersion':
      return { action: 'GetLocalListVersion', payload: {} };
    case 'readListLimits':
      return { action: 'GetConfiguration', payload: { key: [...LIMIT_KEYS] } };
    case 'pushList': {
      const { upserts, removals } = carried(intent);
      return {
        action: 'SendLocalList',
        payload: {
          listVersion: intent.version,
          updateType: intent.update,
          // Removals first, as entries without idTagInfo (§5.15), then adds and updates.
          localAuthorizationList: [...removals.map((idTag) => ({ idTag })), ...upserts.map(listEntry)],
        },
      };
    }
    case 'clearCache':
      return { action: 'ClearCache', payload: {} };
    case 'readSessionState':
      // 1.6 cannot ask: a charger resends its transaction messages by itself (§3.7.1).
      throw new IntentNotExpressibleError('ocpp1.6', intent.kind);
    case 'setPassword':
      // The 1.6 security whitepaper's write-only key; the charger reconnects with it (OCPP-J 1.6 §6.2.2).
      return { action: 'ChangeConfiguration', payload: { key: 'AuthorizationKey', value: intent.password } };
    case 'raiseSecurityProfile':
      return { action: 'ChangeConfiguration', payload: { key: 'SecurityProfile', value: String(intent.profile) } };
    case 'readNetworkPriority':
    case 'setNetworkPriority':
      // A 1.6 charger has one connection setting: nothing to order.
      throw new IntentNotExpressibleError('ocpp1.6', intent.kind);
    case 'restart':
      return { action: 'Reset', payload: { type: 'Soft' } };
    case 'installChargerCertificate':
      return { action: 'CertificateSigned', payload: { certificateChain: intent.chain } };
    case 'message':
      return { action: intent.action, payload: intent.payload };
  }
}

/** A 1.6 IdToken is a CiString20 (§7.28): a longer token, or one in a longer group, cannot be in a 1.6 list. */
const MAX_ID_TAG = 20;
const fits = (idTag: string) => [...idTag].length <= MAX_ID_TAG;

function carried(intent: IntentOf<'pushList'>) {
  const upserts = intent.upserts.filter((entry) => fits(entry.idTag) && (entry.idTagInfo.parentIdTag === undefined || fits(entry.idTagInfo.parentIdTag)));
  // A 1.6 list knows no token types: a token removed under its old type and sent under its new one is just updated.
  const updated = new Set(upserts.map((entry) => entry.idTag.toUpperCase()));
  const removed = intent.removals.map((token) => token.idTag);
  const removals = removed.filter((idTag) => fits(idTag) && !updated.has(idTag.toUpperCase()));
  const kept = new Set([...upserts.map((entry) => entry.idTag), ...removals, ...removed.filter((idTag) => updated.has(idTag.toUpperCase()))]);
  return { upserts, removals, omitted: [...new Set([...intent.upserts.map((entry) => entry.idTag), ...removed].filter((idTag) => !kept.has(idTag)))] };
}

function listEntry(entry: ListEntry) {
  return { idTag: entry.idTag, idTagInfo: entry.idTagInfo };
}

function decode<K extends IntentKind>(intent: IntentOf<K>, answer: unknown): IntentAnswers[K] {
  const decoded = ((): IntentAnswers[IntentKind] => {
    switch (intent.kind) {
      case 'startSession':
      case 'stopSession':
      case 'clearCache': {
        const status = (answer as Answer<'RemoteStartTransaction' | 'RemoteStopTransaction' | 'ClearCache'>).status;
        return { accepted: status === 'Accepted', status };
      }
      case 'readListVersion':
        return { version: (answer as Answer<'GetLocalListVersion'>).listVersion };
      case 'readListLimits':
        return parseLimits(answer as Answer<'GetConfiguration'>);
      case 'pushList': {
        const status = (answer as Answer<'SendLocalList'>).status;
        return { status: PUSH_STATUSES.has(status) ? status : 'Failed', omitted: carried(intent as IntentOf<'pushList'>).omitted };
      }
      case 'setPassword':
      case 'raiseSecurityProfile':
      case 'restart':
      case 'installChargerCertificate': {
        const status = (answer as Answer<'ChangeConfiguration' | 'Reset' | 'CertificateSigned'>).status;
        return { accepted: status === 'Accepted', status };
      }
      case 'readSessionState':
      case 'readNetworkPriority':
      case 'setNetworkPriority':
        throw new IntentNotExpressibleError('ocpp1.6', intent.kind);
      case 'message':
        return answer;
    }
  })();
  return decoded as IntentAnswers[K];
}

/** GetConfiguration.conf → the two limits; a key that is unknown, absent or not a whole number is no limit. */
export function parseLimits(answer: Partial<Answer<'GetConfiguration'>>): IntentAnswers['readListLimits'] {
  const keys = Array.isArray(answer?.configurationKey) ? answer.configurationKey : [];
  const read = (name: string): number | null => {
    const found = keys.find((k) => typeof k?.key === 'string' && k.key.toLowerCase() === name.toLowerCase());
    const value = typeof found?.value === 'string' ? found.value.trim() : '';
    return /^\d+$/.test(value) ? Number(value) : null;
  };
  return { perUpdate: read('SendLocalListMaxLength'), capacity: read('LocalAuthListMaxLength') };
}

export const v16Intents: DialectIntents = { encode, decode };
