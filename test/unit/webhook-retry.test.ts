// Pure parts of the outbox: the retry schedule and event ids that sort in the order events were made.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClockEventFactory } from '../../src/domain/events.js';
import { retryDelayMs } from '../../src/events/webhooks/retry.js';
import { eventBody } from '../../src/events/types.js';

describe('webhook retry schedule', () => {
  it('PRODUCT.md "retried with back-off": 1 s doubling per failure, capped at the maximum', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 1000, 3_600_000)), [1000, 2000, 4000, 8000, 16000]);
    assert.equal(retryDelayMs(13, 1000, 3_600_000), 3_600_000);
    assert.equal(retryDelayMs(10_000, 1000, 3_600_000), 3_600_000, 'no overflow after many failures');
  });
});

describe('event ids', () => {
  it('sort in the order they were made, also within one millisecond and when the clock steps back', () => {
    let now = Date.parse('2026-05-01T00:00:00.000Z');
    const factory = new ClockEventFactory({ now: () => new Date(now) });
    const ids = [factory.create('transaction.started', {}).id, factory.create('transaction.meter_values', {}).id];
    now -= 5000;
    ids.push(factory.create('transaction.stopped', {}).id);
    now += 10_000;
    ids.push(factory.create('charge_point.offline', {}).id);
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('the delivery body is exactly {id, event, occurredAt, data}', () => {
    const event = new ClockEventFactory({ now: () => new Date('2026-05-01T00:00:00.000Z') }).create('charge_point.connected', { chargePointId: 'CP-1' });
    assert.deepEqual(Object.keys(JSON.parse(eventBody(event))), ['id', 'event', 'occurredAt', 'data']);
    assert.equal(JSON.parse(eventBody(event)).occurredAt, '2026-05-01T00:00:00.000Z');
  });
});
