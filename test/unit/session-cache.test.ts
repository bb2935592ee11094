// The open sessions a process remembers (storage/session-cache.ts): bounded, least recently used first out, and
// never an ended session.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SessionCache } from '../../src/storage/session-cache.js';

const row = (id: number, stopped: string | null = null) => ({ id, stopped_at: stopped, charge_point_id: 'CP', charger_transaction_id: `T${id}` }) as never;

describe('SessionCache', () => {
  it('keeps at most its capacity, dropping the least recently used', () => {
    const cache = new SessionCache(2);
    cache.remember('a', row(1));
    cache.remember('b', row(2));
    assert.ok(cache.get('a'), 'a is used, so b is now the oldest');
    cache.remember('c', row(3));
    assert.deepEqual([!!cache.get('a'), !!cache.get('b'), !!cache.get('c')], [true, false, true]);
    assert.equal(cache.size, 2);
  });

  it('forgets an ended session, and a session by its id', () => {
    const cache = new SessionCache();
    cache.remember('a', row(1));
    cache.remember('a', row(1, '2026-01-01T00:00:00.000Z'));
    assert.equal(cache.get('a'), undefined, 'ended: not remembered, and the open row it replaced is gone too');
    cache.remember('b', row(2));
    cache.forgetId(2);
    assert.equal(cache.get('b'), undefined);
    cache.forgetId(99);
    assert.equal(cache.size, 0);
  });

  it('a key names the charger and its transaction apart, whatever characters they hold', () => {
    assert.notEqual(SessionCache.key('CP-1', 'T'), SessionCache.key('CP-', '1T'));
  });
});
