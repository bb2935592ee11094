// Every bad input a charger can send gets the answer OCPP-J 1.6 names; the connection and every other
// charger keep working, and nothing is recorded from it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';
import { assertStillServed, openRawCharger, type RawCharger } from '../support/raw-charger.js';

describe('OCPP 1.6 bad input through the whole server', () => {
  let t: TestServer;
  let raw: RawCharger;
  before(async () => {
    t = await startTestServer({ maxFrameBytes: 64 * 1024 });
    raw = await openRawCharger(`${t.wsUrl}/CP-BAD`);
    raw.send([2, 'boot', 'BootNotification', bootPayload]);
    assert.equal((await raw.next())[0], 3);
  });
  after(async () => {
    raw.close();
    await t.close();
  });

  const stillServed = () => assertStillServed(raw);

  it('OCPP-J 1.6 §4.2.3 / CONFORMANCE 1: a frame that is not JSON gets CALLERROR "-1" FormationViolation and the socket stays open', async () => {
    raw.send('hello');
    const error = await raw.next();
    assert.deepEqual(error.slice(0, 3), [4, '-1', 'FormationViolation']);
    assert.equal(error.length, 5);
    await stillServed();
  });

  it('CONFORMANCE 2: JSON that is not an array gets CALLERROR "-1" FormationViolation', async () => {
    for (const frame of ['{}', '42', 'null']) {
      raw.send(frame);
      assert.deepEqual((await raw.next()).slice(0, 3), [4, '-1', 'FormationViolation']);
    }
    await stillServed();
  });

  it('OCPP-J 1.6 §4.1.3 / CONFORMANCE 3: an unknown message type is ignored, with no reply', async () => {
    raw.send([5, 'id1', {}]);
    assert.equal(await raw.silentFor(300), true);
    await stillServed();
  });

  it('OCPP-J 1.6 Table 7 / CONFORMANCE 5: an unknown action and a wrongly cased one get NotImplemented', async () => {
    raw.send([2, 'u1', 'FooBar', {}]);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, 'u1', 'NotImplemented']);
    raw.send([2, 'u2', 'bootnotification', bootPayload]);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, 'u2', 'NotImplemented']);
    await stillServed();
  });

  it('CONFORMANCE 6: a missing required field gets OccurenceConstraintViolation, a wrong type TypeConstraintViolation (1.6 spellings)', async () => {
    raw.send([2, 's1', 'StartTransaction', { connectorId: 1, idTag: 'X', timestamp: '2026-01-01T00:00:00Z' }]);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, 's1', 'OccurenceConstraintViolation']);
    raw.send([2, 's2', 'StartTransaction', { connectorId: '1', idTag: 'X', meterStart: 0, timestamp: '2026-01-01T00:00:00Z' }]);
    assert.deepEqual((await raw.next()).slice(0, 3), [4, 's2', 'TypeConstraintViolation']);
    raw.send([2, 's3', 'Authorize', { idTag: 'X'.repeat(21) }]);
    const tooLong = await raw.next();
    assert.equal(tooLong[1], 's3');
    assert.match(tooLong[2], /PropertyConstraintViolation|FormationViolation/);
    const list = (await (await t.api('/api/v1/transactions?chargePointId=CP-BAD')).json()) as any;
    assert.equal(list.items.length, 0, 'nothing is recorded from an invalid StartTransaction');
    await stillServed();
  });

  it('RFC 6455 / CONFORMANCE 15: an oversize frame closes that connection with 1009 and no other charger notices', async () => {
    const other = await t.charger('CP-NEIGHBOUR');
    const big = await openRawCharger(`${t.wsUrl}/CP-BIG`);
    big.send([2, 'x', 'DataTransfer', { vendorId: 'v', data: 'x'.repeat(70 * 1024) }]);
    assert.equal((await big.closed).code, 1009);
    assert.ok(((await other.call('Heartbeat', {})) as any).currentTime);
    await stillServed();
  });
});
