import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs } from '../../src/simulator/backoff.js';
import { ServiceTracker } from '../../src/simulator/service-gaps.js';
import { FailureCounter } from '../../src/simulator/stats.js';

describe('backoffMs', () => {
  const plain = { initialMs: 250, maxMs: 5_000 };
  it('doubles from the first pause and stops at the cap', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, plain)), [250, 500, 1000, 2000, 4000, 5000, 5000]);
  });
  it('stays at the cap for very many attempts', () => {
    assert.equal(backoffMs(10_000, plain), 5_000);
  });
  it('jitter shortens a pause by at most its share', () => {
    const options = { ...plain, jitter: 0.2 };
    assert.equal(backoffMs(2, options, () => 0), 1000);
    assert.equal(backoffMs(2, options, () => 1), 800);
    assert.equal(backoffMs(2, options, () => 0.5), 900);
  });
});

describe('ServiceTracker', () => {
  it('finds the longest stretch between acknowledgements', () => {
    const t = new ServiceTracker(1000);
    for (const at of [1100, 1200, 1300, 4300, 4400]) t.success(at);
    const gaps = t.finish(5000);
    assert.equal(gaps.longestGapMs, 3000);
    assert.equal(gaps.longestGapFromMs, 300);
    assert.equal(gaps.longestGapToMs, 3300);
  });
  it('counts the window edges: nothing acknowledged at the start or the end', () => {
    const start = new ServiceTracker(0);
    start.success(2500);
    start.success(2600);
    assert.equal(start.finish(3000).longestGapMs, 2500);
    const end = new ServiceTracker(0);
    end.success(100);
    assert.deepEqual(end.finish(4000), { longestGapMs: 3900, longestGapFromMs: 100, longestGapToMs: 4000, serviceBackAfterMs: null });
  });
  it('with no acknowledgement at all, the whole window is without service', () => {
    assert.equal(new ServiceTracker(0).finish(20_000).longestGapMs, 20_000);
  });
  it('service back: the first acknowledgement at or after the database came back', () => {
    const t = new ServiceTracker(0);
    t.success(100);
    t.databaseBack(5000);
    t.success(4000); // before the database was back: does not count as back
    t.success(6500);
    t.success(6600);
    assert.equal(t.finish(10_000).serviceBackAfterMs, 1500);
  });
  it('service back is null when nothing was acknowledged after the database came back', () => {
    const t = new ServiceTracker(0);
    t.success(100);
    t.databaseBack(5000);
    assert.equal(t.finish(10_000).serviceBackAfterMs, null);
  });
});

describe('FailureCounter', () => {
  it('counts CALLERRORs by code apart from timeouts and lost connections', () => {
    const c = new FailureCounter();
    c.record({ kind: 'callerror', code: 'InternalError' });
    c.record({ kind: 'callerror', code: 'InternalError' });
    c.record({ kind: 'callerror', code: 'GenericError' });
    c.record({ kind: 'timeout', code: 'Timeout' });
    c.record({ kind: 'closed', code: 'ConnectionClosed' });
    c.record(undefined);
    assert.deepEqual(c.callErrors, { InternalError: 2, GenericError: 1 });
    assert.equal(c.callErrorCount, 3);
    assert.equal(c.timeouts, 1);
    assert.deepEqual(c.lost, { ConnectionClosed: 1, unknown: 1 });
  });
});

describe('ServiceTracker told late that the database was back', () => {
  it('finds the first acknowledgement after that moment among those already recorded', () => {
    const t = new ServiceTracker(0);
    for (let at = 0; at <= 20_000; at += 10) if (at < 6700 || at >= 7200) t.success(at);
    t.databaseBack(7000); // known only at 9 s, when pg_ctlcluster returned
    const gaps = t.finish(20_000);
    assert.equal(gaps.serviceBackAfterMs, 200);
    assert.equal(gaps.longestGapMs, 510);
  });
  it('keeps every time past its first buffer', () => {
    const t = new ServiceTracker(0);
    for (let at = 1; at <= 100_000; at++) t.success(at);
    t.databaseBack(99_999.5);
    assert.equal(t.finish(100_000).serviceBackAfterMs, 0.5);
  });
});
