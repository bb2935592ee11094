import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthorizerAnswer } from '../../src/domain/authorization/authorizer-answer.js';

describe("the operator authorizer's answer", () => {
  it('PRODUCT.md: {status, expiryDate?, parentIdTag?} is read, the time normalised to UTC', () => {
    assert.deepEqual(parseAuthorizerAnswer({ status: 'Accepted' }), { ok: true, info: { status: 'Accepted' } });
    assert.deepEqual(parseAuthorizerAnswer({ status: 'Accepted', expiryDate: '2027-01-01T02:00:00+02:00', parentIdTag: 'FLEET' }), {
      ok: true,
      info: { status: 'Accepted', expiryDate: '2027-01-01T00:00:00.000Z', parentIdTag: 'FLEET' },
    });
    assert.equal(parseAuthorizerAnswer({ status: 'ConcurrentTx', expiryDate: null }).ok, true);
  });
  it('CONFORMANCE 41: nonsense never decides', () => {
    for (const raw of [null, 'Accepted', [], 42, {}, { status: 'accepted' }, { status: 'Maybe' }, { status: 'Accepted', expiryDate: 'tomorrow' },
      { status: 'Accepted', expiryDate: '2027-01-01T00:00:00' }, { status: 'Accepted', parentIdTag: 'X'.repeat(21) }, { status: 'Accepted', parentIdTag: 7 }]) {
      const parsed = parseAuthorizerAnswer(raw);
      assert.equal(parsed.ok, false, JSON.stringify(raw));
      if (!parsed.ok) assert.ok(parsed.problem.length > 0);
    }
  });
});
