// The OCPP 1.6 map of the operator's intents: each intent is the 1.6 message the spec names, valid against the
// official request schema, and each 1.6 answer reads back in the domain's words.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChargerIntent } from '../../src/domain/ports.js';
import { createValidators } from '../../src/ocpp/schemas/validators.js';
import { parseLimits, v16Intents } from '../../src/ocpp/v16/intents.js';

const v16 = createValidators('ocpp1.6');

describe('OCPP 1.6 intents', () => {
  const intents: ChargerIntent[] = [
    { kind: 'startSession', idTag: 'TAG-1', idTokenType: null, evseId: null, connectorId: 2, remoteStartId: 7 },
    { kind: 'startSession', idTag: 'TAG-1', idTokenType: null, evseId: null, connectorId: null, remoteStartId: 7 },
    { kind: 'stopSession', transactionId: 17, chargerTransactionId: 17 },
    { kind: 'readListVersion' },
    { kind: 'readListLimits' },
    { kind: 'pushList', version: 3, update: 'Differential', upserts: [{ idTag: 'A', idTagInfo: { status: 'Accepted', parentIdTag: 'G' } }], removals: [{ idTag: 'B', idTokenType: 'KeyCode' }, { idTag: 'A', idTokenType: 'ISO15693' }] },
    { kind: 'clearCache' },
  ];

  it('§5: every intent is a CSMS-initiated 1.6 message that passes its request schema', () => {
    for (const intent of intents) {
      const { action, payload } = v16Intents.encode(intent);
      assert.equal(v16.validateRequest(action, payload), null, `${intent.kind} → ${action}`);
    }
  });

  it('§5.11 / §5.15: remote start names the connector only when given; a list update sends removals first, without idTagInfo', () => {
    const start = { kind: 'startSession', idTag: 'T', idTokenType: null, evseId: null, connectorId: null, remoteStartId: 7 } as const;
    assert.deepEqual(v16Intents.encode(start), { action: 'RemoteStartTransaction', payload: { idTag: 'T' } });
    // 1.6 has no EVSEs: each connector is one, so an EVSE asked for is the connector of that number.
    assert.deepEqual(v16Intents.encode({ ...start, evseId: 2 }), { action: 'RemoteStartTransaction', payload: { connectorId: 2, idTag: 'T' } });
    assert.deepEqual(v16Intents.encode(intents[5]).payload, {
      listVersion: 3,
      updateType: 'Differential',
      localAuthorizationList: [{ idTag: 'B' }, { idTag: 'A', idTagInfo: { status: 'Accepted', parentIdTag: 'G' } }],
    });
  });

  it('answers in the domain words: consent, the list version, a push status', () => {
    assert.deepEqual(v16Intents.decode({ kind: 'startSession', idTag: 'T', idTokenType: null, evseId: null, connectorId: 1, remoteStartId: 7 }, { status: 'Rejected' }), { accepted: false, status: 'Rejected' });
    assert.deepEqual(v16Intents.decode({ kind: 'clearCache' }, { status: 'Accepted' }), { accepted: true, status: 'Accepted' });
    assert.deepEqual(v16Intents.decode({ kind: 'readListVersion' }, { listVersion: -1 }), { version: -1 });
    assert.deepEqual(v16Intents.decode(intents[5] as Extract<ChargerIntent, { kind: 'pushList' }>, { status: 'VersionMismatch' }), { status: 'VersionMismatch', omitted: [] });
  });

  it('§9.4: GetConfiguration.conf gives the list limits; unknown, absent or not a whole number is no limit', () => {
    const none = { perUpdate: null, capacity: null };
    assert.deepEqual(
      parseLimits({ configurationKey: [{ key: 'SendLocalListMaxLength', readonly: true, value: '500' }, { key: 'LocalAuthListMaxLength', readonly: true, value: ' 5000 ' }] }),
      { perUpdate: 500, capacity: 5000 },
    );
    assert.deepEqual(parseLimits({ unknownKey: ['SendLocalListMaxLength', 'LocalAuthListMaxLength'] }), none);
    assert.deepEqual(parseLimits({ configurationKey: [{ key: 'SendLocalListMaxLength', readonly: true, value: 'lots' }, { key: 'LocalAuthListMaxLength', readonly: true }] }), none);
    assert.deepEqual(parseLimits({}), none);
  });

  it('§7.28: a token longer than 20 characters (or in a longer group) is left out of a 1.6 list, and said so', () => {
    const long = 'L'.repeat(21);
    const intent = {
      kind: 'pushList', version: 2, update: 'Differential',
      upserts: [{ idTag: long, idTagInfo: { status: 'Accepted' } }, { idTag: 'OK', idTagInfo: { status: 'Accepted', parentIdTag: long } }, { idTag: 'FINE', idTagInfo: { status: 'Blocked' } }],
      removals: [{ idTag: long }, { idTag: 'GONE' }],
    } as const;
    const { action, payload } = v16Intents.encode(intent as unknown as ChargerIntent);
    assert.equal(v16.validateRequest(action, payload), null);
    assert.deepEqual((payload as any).localAuthorizationList.map((e: any) => e.idTag), ['GONE', 'FINE']);
    assert.deepEqual(v16Intents.decode(intent as never, { status: 'Accepted' }), { status: 'Accepted', omitted: [long, 'OK'] });
  });
});
