// The two throttles of the handshake (domain/security/security-events.ts): refused credentials per address
// (CONFORMANCE 35), and security events per charger and kind.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FailedHandshakeThrottle, SecurityEventThrottle } from '../../src/domain/security/security-events.js';

describe('security throttles', () => {
  it('an address is held back once it reaches the limit, until its window ends; other addresses are not', () => {
    const throttle = new FailedHandshakeThrottle(3, 60_000);
    assert.equal(throttle.failed('10.0.0.1', 0), false);
    assert.equal(throttle.failed('10.0.0.1', 1000), false);
    assert.equal(throttle.waitFor('10.0.0.1', 1000), 0, 'below the limit');
    assert.equal(throttle.failed('10.0.0.1', 2000), true, 'the limit is reached once');
    assert.equal(throttle.waitFor('10.0.0.1', 2000), 58_000);
    assert.equal(throttle.waitFor('10.0.0.2', 2000), 0);
    assert.equal(throttle.waitFor('10.0.0.1', 60_000), 0, 'a new window');
    assert.equal(throttle.failed('10.0.0.1', 60_000), false, 'counted afresh');
  });
  it('one security event per charger and kind in a window', () => {
    const throttle = new SecurityEventThrottle(60_000);
    assert.equal(throttle.admit('CP-1', 'InvalidPassword', 0), true);
    assert.equal(throttle.admit('CP-1', 'InvalidPassword', 59_999), false);
    assert.equal(throttle.admit('CP-1', 'RefusedWithoutTls', 1), true, 'another kind');
    assert.equal(throttle.admit('CP-2', 'InvalidPassword', 1), true, 'another charger');
    assert.equal(throttle.admit('CP-1', 'InvalidPassword', 60_000), true);
  });
});
