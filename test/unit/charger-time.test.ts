import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseChargerTime } from '../../src/domain/time.js';

const now = new Date('2026-06-01T12:00:00.000Z');

describe('normaliseChargerTime (OCPP 1.6 §3.15, CONFORMANCE 60, 61, 70)', () => {
  it('UTC, offset and fractional forms all become ISO UTC with milliseconds', () => {
    assert.deepEqual(normaliseChargerTime('2026-06-01T10:00:00Z', now), { iso: '2026-06-01T10:00:00.000Z', flags: [], plausible: true });
    assert.equal(normaliseChargerTime('2026-06-01T12:00:00+02:00', now).iso, '2026-06-01T10:00:00.000Z');
    assert.equal(normaliseChargerTime('2026-06-01T10:00:00.123Z', now).iso, '2026-06-01T10:00:00.123Z');
  });
  it('a time without offset is read as UTC and flagged, not rejected', () => {
    const t = normaliseChargerTime('2026-06-01T10:00:00', now);
    assert.equal(t.iso, '2026-06-01T10:00:00.000Z');
    assert.deepEqual(t.flags, ['timestamp-without-offset']);
  });
  it('more than five minutes in the future is flagged; within five minutes is not', () => {
    assert.deepEqual(normaliseChargerTime('2026-06-01T12:04:59Z', now).flags, []);
    assert.deepEqual(normaliseChargerTime('2026-06-01T12:05:01Z', now).flags, ['timestamp-in-future']);
  });
  it('a 1970 clock (charger booted without time) is flagged as implausible', () => {
    const t = normaliseChargerTime('1970-01-01T00:01:00Z', now);
    assert.equal(t.plausible, false);
    assert.deepEqual(t.flags, ['timestamp-implausible']);
  });
});
