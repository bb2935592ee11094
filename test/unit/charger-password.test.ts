import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hashChargerPassword, verifyChargerPassword } from '../../src/domain/chargers/password.js';

describe('charger passwords (security profile 1)', () => {
  it('verifies the password it hashed and nothing else', () => {
    const stored = hashChargerPassword('0123456789abcdef');
    assert.equal(verifyChargerPassword('0123456789abcdef', stored), true);
    assert.equal(verifyChargerPassword('0123456789abcdeF', stored), false);
    assert.equal(verifyChargerPassword('', stored), false);
  });
  it('salts each hash, and never stores the password itself', () => {
    const a = hashChargerPassword('0123456789abcdef');
    const b = hashChargerPassword('0123456789abcdef');
    assert.notEqual(a, b);
    assert.ok(!a.includes('0123456789abcdef'));
  });
  it('refuses a stored value it does not understand', () => {
    assert.equal(verifyChargerPassword('0123456789abcdef', 'plain$text'), false);
    assert.equal(verifyChargerPassword('0123456789abcdef', ''), false);
  });
});
