import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyRecorder, createPacer } from '../../src/simulator/stats.js';

describe('LatencyRecorder', () => {
  it('nearest-rank percentiles over 1..100 are the rank itself', () => {
    const r = new LatencyRecorder();
    for (let i = 100; i >= 1; i--) r.record(i, true);
    assert.deepEqual(r.percentiles(50, 95, 99, 100), [50, 95, 99, 100]);
  });
  it('grows past its first buffer and counts failures', () => {
    const r = new LatencyRecorder();
    for (let i = 0; i < 70_000; i++) r.record(1, i % 2 === 0);
    assert.equal(r.count, 70_000);
    assert.equal(r.failures, 35_000);
    r.reset();
    assert.equal(r.count, 0);
    assert.ok(Number.isNaN(r.percentiles(50)[0]));
  });
});

describe('createPacer', () => {
  it('spaces calls at the offered rate', async () => {
    const pace = createPacer(200);
    const started = performance.now();
    for (let i = 0; i < 40; i++) await pace();
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 150 && elapsed < 600, `40 calls at 200/s took ${elapsed.toFixed(0)} ms`);
  });
});
