// Handshake decisions as pure logic: identity from the URL, subprotocol choice, Basic credentials.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseBasicAuth, parseIdentity, selectSubprotocol } from '../../src/ocpp/rpc/handshake.js';

describe('parseIdentity', () => {
  it('OCPP-J 1.6 §3.1.1 / CONFORMANCE 22: the identity is the percent-decoded last segment', () => {
    assert.deepEqual(parseIdentity('/ocpp/RDAM%20123'), { ok: true, identity: 'RDAM 123' });
    assert.deepEqual(parseIdentity('/ocpp/CP-1?x=1'), { ok: true, identity: 'CP-1' });
    assert.deepEqual(parseIdentity('/ocpp/' + 'a'.repeat(48)), { ok: true, identity: 'a'.repeat(48) });
  });

  it('CONFORMANCE 22: empty, %2F, .., :, control characters, bad encoding and > 48 characters are refused', () => {
    for (const path of ['/ocpp/', '/ocpp/a%2Fb', '/ocpp/a/b', '/ocpp/..', '/ocpp/a..b', '/ocpp/a%3Ab', '/ocpp/a:b', '/ocpp/a%00b', '/ocpp/a%0Ab', '/ocpp/%E0%A4%A', '/ocpp/' + 'a'.repeat(49), '/other/CP']) {
      assert.equal(parseIdentity(path).ok, false, path);
    }
  });
});

describe('selectSubprotocol', () => {
  const supported = ['ocpp1.6'];
  it('OCPP-J 1.6 §3.2 / TC_088 / CONFORMANCE 17–18: ocpp0.1 alone is refused; ocpp0.1, ocpp1.6 gets ocpp1.6', () => {
    assert.equal(selectSubprotocol(['ocpp0.1'], supported, 'ocpp1.6'), null);
    assert.equal(selectSubprotocol(['ocpp0.1', 'ocpp1.6'], supported, 'ocpp1.6'), 'ocpp1.6');
  });

  it('Part 4 §3.2 / CONFORMANCE 19: the server preference order decides', () => {
    assert.equal(selectSubprotocol(['ocpp1.6', 'ocpp2.0.1'], ['ocpp2.0.1', 'ocpp1.6'], null), 'ocpp2.0.1');
    assert.equal(selectSubprotocol(['ocpp2.0.1', 'ocpp1.6'], ['ocpp1.6'], null), 'ocpp1.6');
  });

  it('CONFORMANCE 20: none offered gets the default, or is refused when the default is null', () => {
    assert.equal(selectSubprotocol([], supported, 'ocpp1.6'), 'ocpp1.6');
    assert.equal(selectSubprotocol([], supported, null), null);
  });
});

describe('parseBasicAuth', () => {
  it('reads username and password (the password may contain colons)', () => {
    const header = `Basic ${Buffer.from('CP-1:se:cret').toString('base64')}`;
    assert.deepEqual(parseBasicAuth(header), { username: 'CP-1', password: 'se:cret' });
  });

  it('returns null for absent, non-Basic or malformed headers', () => {
    assert.equal(parseBasicAuth(undefined), null);
    assert.equal(parseBasicAuth('Bearer abc'), null);
    assert.equal(parseBasicAuth(`Basic ${Buffer.from('nocolon').toString('base64')}`), null);
    assert.equal(parseBasicAuth('Basic !!!'), null);
  });
});
