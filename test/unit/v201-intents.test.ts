// The OCPP 2.0.1 map of a local list push: each entry is a token and its type (D01.FR.06), so a removal names the
// type the station holds the token under, and the message stays valid against the official request schema.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChargerIntent } from '../../src/domain/ports.js';
import { createValidators } from '../../src/ocpp/schemas/validators.js';
import { v201Intents } from '../../src/ocpp/v201/intents.js';

const v201 = createValidators('ocpp2.0.1');
const accepted = { status: 'Accepted' } as const;

describe('OCPP 2.0.1 intents: SendLocalList', () => {
  it('D01.FR.17: removals first, each under its own type (the default for a token held without one), then adds and updates with idTokenInfo', () => {
    const intent: ChargerIntent = {
      kind: 'pushList',
      version: 4,
      update: 'Differential',
      upserts: [{ idTag: 'CARD', idTagInfo: accepted, idTokenType: 'eMAID' }],
      removals: [{ idTag: 'PIN-1', idTokenType: 'KeyCode' }, { idTag: 'OLD', idTokenType: null }, { idTag: 'CARD', idTokenType: 'ISO15693' }],
    };
    const { action, payload } = v201Intents.encode(intent);
    assert.equal(v201.validateRequest(action, payload), null);
    assert.deepEqual((payload as any).localAuthorizationList, [
      { idToken: { idToken: 'PIN-1', type: 'KeyCode' } },
      { idToken: { idToken: 'OLD', type: 'ISO14443' } },
      { idToken: { idToken: 'CARD', type: 'ISO15693' } },
      { idToken: { idToken: 'CARD', type: 'eMAID' }, idTokenInfo: { status: 'Accepted' } },
    ]);
  });

  it('a token held without a type and now sent as the default type is named once, as its update, not removed and added in one message', () => {
    const intent: ChargerIntent = {
      kind: 'pushList',
      version: 5,
      update: 'Differential',
      upserts: [{ idTag: 'tag-1', idTagInfo: accepted, idTokenType: 'ISO14443' }],
      removals: [{ idTag: 'TAG-1', idTokenType: null }],
    };
    const { payload } = v201Intents.encode(intent);
    assert.deepEqual((payload as any).localAuthorizationList, [{ idToken: { idToken: 'tag-1', type: 'ISO14443' }, idTokenInfo: { status: 'Accepted' } }]);
  });

  it('D01.FR.11: a SendLocalList keeps within both ItemsPerMessage and BytesPerMessage, read in one GetVariables', () => {
    const intent: ChargerIntent = { kind: 'readListLimits' };
    const { action, payload } = v201Intents.encode(intent);
    assert.equal(v201.validateRequest(action, payload), null);
    assert.deepEqual((payload as any).getVariableData.map((d: any) => d.variable.name), ['ItemsPerMessage', 'BytesPerMessage']);
    const answer = (items: string | null, bytes: string | null) => ({
      getVariableResult: [
        { attributeStatus: items === null ? 'UnknownVariable' : 'Accepted', ...(items === null ? {} : { attributeValue: items }), component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'ItemsPerMessage' } },
        { attributeStatus: bytes === null ? 'UnknownVariable' : 'Accepted', ...(bytes === null ? {} : { attributeValue: bytes }), component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'BytesPerMessage' } },
      ],
    });
    assert.deepEqual(v201Intents.decode(intent, answer('50', '65536')), { perUpdate: 50, capacity: null });
    assert.deepEqual(v201Intents.decode(intent, answer('50', '2376')), { perUpdate: 8, capacity: null }, '(2376 - 200) / 272 entries');
    assert.deepEqual(v201Intents.decode(intent, answer(null, '100')), { perUpdate: 1, capacity: null }, 'never below one');
    assert.deepEqual(v201Intents.decode(intent, answer(null, null)), { perUpdate: null, capacity: null });
  });
});
