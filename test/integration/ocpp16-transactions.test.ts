// StartTransaction, MeterValues, StopTransaction: nothing the charger reports is lost, altered or counted twice.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';

const json = { 'content-type': 'application/json' };

describe('OCPP 1.6 transactions', () => {
  let t: TestServer;
  let cp: RpcConnection;
  let n = 0;
  /** Each test its own charger, so sessions never mix. */
  const freshCharger = async () => {
    const c = await t.charger(`CP-TX-${++n}`);
    await c.call('BootNotification', bootPayload);
    return { c, id: `CP-TX-${n}` };
  };
  const tx = async (id: number) => (await (await t.api(`/api/v1/transactions/${id}`)).json()) as any;
  const list = async (chargePointId: string) =>
    ((await (await t.api(`/api/v1/transactions?chargePointId=${chargePointId}`)).json()) as any).items as any[];

  before(async () => {
    t = await startTestServer();
    await t.api('/api/v1/id-tags/OK1', { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Accepted' }) });
    await t.api('/api/v1/id-tags/BAD1', { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Blocked' }) });
    cp = (await freshCharger()).c;
  });
  after(() => t.close());

  it('CONFORMANCE 53: transaction ids are positive int32, distinct across chargers and connectors started in the same millisecond', async () => {
    const a = await freshCharger();
    const b = await freshCharger();
    const timestamp = '2026-05-01T10:00:00.000Z';
    const answers = (await Promise.all([
      a.c.call('StartTransaction', { connectorId: 1, idTag: 'OK1', meterStart: 0, timestamp }),
      b.c.call('StartTransaction', { connectorId: 1, idTag: 'OK1', meterStart: 0, timestamp }),
      cp.call('StartTransaction', { connectorId: 2, idTag: 'OK1', meterStart: 0, timestamp }),
    ])) as any[];
    const ids = answers.map((x) => x.transactionId);
    assert.equal(new Set(ids).size, 3);
    for (const id of ids) assert.ok(Number.isInteger(id) && id > 0 && id <= 2 ** 31 - 1);
  });

  it('OCPP 1.6 §4.8 / CONFORMANCE 54: a StartTransaction with an unknown or blocked tag is recorded and answered {transactionId, idTagInfo} only', async () => {
    const { c, id } = await freshCharger();
    const invalid = (await c.call('StartTransaction', { connectorId: 1, idTag: 'NOBODY', meterStart: 10, timestamp: '2026-05-01T11:00:00Z' })) as any;
    assert.deepEqual(Object.keys(invalid).sort(), ['idTagInfo', 'transactionId']);
    assert.deepEqual(invalid.idTagInfo, { status: 'Invalid' });
    const blocked = (await c.call('StartTransaction', { connectorId: 2, idTag: 'BAD1', meterStart: 10, timestamp: '2026-05-01T11:00:00Z' })) as any;
    assert.equal(blocked.idTagInfo.status, 'Blocked');
    const stored = await tx(invalid.transactionId);
    assert.equal(stored.chargePointId, id);
    assert.ok(stored.flags.includes('tag-invalid'), 'the session is flagged');
    assert.equal((await list(id)).length, 2);
  });

  it('steve#81 / CONFORMANCE 55: a StartTransaction replayed after its answer was lost gets the same id, and there is one row', async () => {
    const { c, id } = await freshCharger();
    const start = { connectorId: 1, idTag: 'OK1', meterStart: 500, timestamp: '2026-05-01T12:00:00.000Z' };
    const first = (await c.call('StartTransaction', start)) as any;
    const again = (await c.call('StartTransaction', start)) as any;
    assert.equal(again.transactionId, first.transactionId);
    assert.deepEqual(again.idTagInfo, first.idTagInfo);
    assert.equal((await list(id)).length, 1);
  });

  it('a retried start keeps the answer the charger acted on, even if the tag was blocked in between', async () => {
    const { c } = await freshCharger();
    await t.api('/api/v1/id-tags/FLIP', { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Accepted' }) });
    const start = { connectorId: 1, idTag: 'FLIP', meterStart: 0, timestamp: '2026-05-01T12:30:00.000Z' };
    const first = (await c.call('StartTransaction', start)) as any;
    await t.api('/api/v1/id-tags/FLIP', { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Blocked' }) });
    const again = (await c.call('StartTransaction', start)) as any;
    assert.equal(again.transactionId, first.transactionId);
    assert.equal(again.idTagInfo.status, 'Accepted');
  });

  it('steve#156 / CONFORMANCE 56: a StopTransaction for an unknown transaction is answered, not a CALLERROR, and creates no session', async () => {
    const { c, id } = await freshCharger();
    const answer = await c.call('StopTransaction', { transactionId: 987654, meterStop: 100, timestamp: '2026-05-01T13:00:00Z' });
    assert.deepEqual(answer, {});
    assert.equal((await list(id)).length, 0);
    const withTag = (await c.call('StopTransaction', { transactionId: 987655, idTag: 'OK1', meterStop: 100, timestamp: '2026-05-01T13:00:00Z' })) as any;
    assert.equal(withTag.idTagInfo.status, 'Accepted');
  });

  it('a transactionId beyond 32 bits (any JSON integer is valid) in a StopTransaction or MeterValues is answered and kept, not a CALLERROR', async () => {
    const { c, id } = await freshCharger();
    const huge = 2 ** 40;
    assert.deepEqual(await c.call('MeterValues', { connectorId: 1, transactionId: huge, meterValue: [{ timestamp: '2026-05-01T13:00:00Z', sampledValue: [{ value: '7' }] }] }), {});
    assert.deepEqual(await c.call('StopTransaction', { transactionId: huge, meterStop: 100, timestamp: '2026-05-01T13:05:00Z' }), {});
    assert.equal((await list(id)).length, 0);
  });

  it('steve#955 / CONFORMANCE 57: a StopTransaction sent twice (e.g. after a reboot) is answered twice and leaves the stop values unchanged', async () => {
    const { c } = await freshCharger();
    const start = (await c.call('StartTransaction', { connectorId: 1, idTag: 'OK1', meterStart: 1000, timestamp: '2026-05-01T14:00:00Z' })) as any;
    const stop = { transactionId: start.transactionId, meterStop: 4000, timestamp: '2026-05-01T15:00:00Z', reason: 'Local' };
    await c.call('StopTransaction', stop);
    const answer = await c.call('StopTransaction', { ...stop, meterStop: 9000, timestamp: '2026-05-01T16:00:00Z', reason: 'Reboot' });
    assert.deepEqual(answer, {});
    const stored = await tx(start.transactionId);
    assert.equal(stored.meterStopWh, 4000);
    assert.equal(stored.energyWh, 3000);
    assert.equal(stored.stoppedAt, '2026-05-01T15:00:00.000Z');
    assert.equal(stored.stopReason, 'Local');
  });

  it('steve#292 / CONFORMANCE 58: a StopTransaction with transactionId -1 is answered and matched to the only open session when unambiguous', async () => {
    const { c } = await freshCharger();
    const start = (await c.call('StartTransaction', { connectorId: 1, idTag: 'OK1', meterStart: 100, timestamp: '2026-05-01T17:00:00Z' })) as any;
    assert.deepEqual(await c.call('StopTransaction', { transactionId: -1, meterStop: 600, timestamp: '2026-05-01T18:00:00Z' }), {});
    const stored = await tx(start.transactionId);
    assert.equal(stored.status, 'Completed');
    assert.equal(stored.energyWh, 500);
  });

  it('CONFORMANCE 58: a StopTransaction with transactionId 0 and two open sessions is answered and quarantined, touching neither', async () => {
    const { c } = await freshCharger();
    const a = (await c.call('StartTransaction', { connectorId: 1, idTag: 'OK1', meterStart: 100, timestamp: '2026-05-01T17:00:00Z' })) as any;
    const b = (await c.call('StartTransaction', { connectorId: 2, idTag: 'OK1', meterStart: 100, timestamp: '2026-05-01T17:00:00Z' })) as any;
    assert.deepEqual(await c.call('StopTransaction', { transactionId: 0, meterStop: 600, timestamp: '2026-05-01T18:00:00Z' }), {});
    assert.equal((await tx(a.transactionId)).status, 'Active');
    assert.equal((await tx(b.transactionId)).status, 'Active');
  });

  it('CONFORMANCE 58: a StopTransaction with no StartTransaction at all (offline reset) is answered and kept, creating no session', async () => {
    const { c, id } = await freshCharger();
    assert.deepEqual(await c.call('StopTransaction', { transactionId: -1, idTag: 'OK1', meterStop: 600, timestamp: '2026-05-01T18:00:00Z', reason: 'PowerLoss' }), { idTagInfo: { status: 'Accepted' } });
    assert.equal((await list(id)).length, 0);
  });

  it('lbbrhzn/ocpp#1069 / CONFORMANCE 59: a meter that goes backwards is answered, flagged, and never gives negative energy', async () => {
    const { c } = await freshCharger();
    const start = (await c.call('StartTransaction', { connectorId: 1, idTag: 'OK1', meterStart: 5000, timestamp: '2026-05-02T10:00:00Z' })) as any;
    assert.deepEqual(await c.call('StopTransaction', { transactionId: start.transactionId, meterStop: 4000, timestamp: '2026-05-02T11:00:00Z' }), {});
    const stored = await tx(start.transactionId);
    assert.equal(stored.energyWh, null);
    assert.ok(stored.flags.includes('meter-backwards'));
  });

  it('CONFORMANCE 60: a stop before its start, or a time far in the future, is accepted and flagged', async () => {
    const { c } = await freshCharger();
    const start = (await c.call('StartTransaction', { connectorId: 1, idTag: 'OK1', meterStart: 0, timestamp: '2026-05-02T10:00:00Z' })) as any;
    await c.call('StopTransaction', { transactionId: start.transactionId, meterStop: 10, timestamp: '2026-05-02T09:00:00Z' });
    assert.ok((await tx(start.transactionId)).flags.includes('stop-before-start'));
    const future = new Date(Date.now() + 3600_000).toISOString();
    const late = (await c.call('StartTransaction', { connectorId: 2, idTag: 'OK1', meterStart: 0, timestamp: future })) as any;
    assert.ok((await tx(late.transactionId)).flags.includes('timestamp-in-future'));
  });

  it('OCPP 1.6 §3.15 / CONFORMANCE 61: timestamps with Z, an offset or fractions are accepted; one without offset is read as UTC and flagged', async () => {
    const { c } = await freshCharger();
    const forms: Array<[string, string]> = [
      ['2026-05-03T10:00:00Z', '2026-05-03T10:00:00.000Z'],
      ['2026-05-03T12:00:00+02:00', '2026-05-03T10:00:00.000Z'],
      ['2026-05-03T10:00:00.123Z', '2026-05-03T10:00:00.123Z'],
    ];
    let connectorId = 0;
    for (const [timestamp, stored] of forms) {
      const s = (await c.call('StartTransaction', { connectorId: ++connectorId, idTag: 'OK1', meterStart: 0, timestamp })) as any;
      assert.equal((await tx(s.transactionId)).startedAt, stored);
    }
    const local = (await c.call('StartTransaction', { connectorId: 9, idTag: 'OK1', meterStart: 0, timestamp: '2026-05-03T10:00:00' })) as any;
    const stored = await tx(local.transactionId);
    assert.equal(stored.startedAt, '2026-05-03T10:00:00.000Z');
    assert.ok(stored.flags.includes('timestamp-without-offset'));
  });

  it('CONFORMANCE 62: MeterValues for an unknown or a stopped transaction get an empty answer and are kept', async () => {
    const { c } = await freshCharger();
    const mv = (transactionId: number) => ({ connectorId: 1, transactionId, meterValue: [{ timestamp: '2026-05-04T10:00:00Z', sampledValue: [{ value: '42' }] }] });
    assert.deepEqual(await c.call('MeterValues', mv(424242)), {});
    const start = (await c.call('StartTransaction', { connectorId: 1, idTag: 'OK1', meterStart: 0, timestamp: '2026-05-04T09:00:00Z' })) as any;
    await c.call('StopTransaction', { transactionId: start.transactionId, meterStop: 50, timestamp: '2026-05-04T09:30:00Z' });
    assert.deepEqual(await c.call('MeterValues', mv(start.transactionId)), {});
    assert.equal((await tx(start.transactionId)).meterValues.length, 1, 'the late value is kept with its session');
  });

  it('OCPP 1.6 §4.10 / CONFORMANCE 63: transactionData is kept exactly as received and its samples become meter values', async () => {
    const { c } = await freshCharger();
    const start = (await c.call('StartTransaction', { connectorId: 1, idTag: 'OK1', meterStart: 0, timestamp: '2026-05-05T09:00:00Z' })) as any;
    const transactionData = [
      { timestamp: '2026-05-05T09:00:00Z', sampledValue: [{ value: '0', context: 'Transaction.Begin' }] },
      { timestamp: '2026-05-05T10:00:00Z', sampledValue: [{ value: '11000', context: 'Transaction.End', unit: 'Wh' }] },
    ];
    await c.call('StopTransaction', { transactionId: start.transactionId, meterStop: 11000, timestamp: '2026-05-05T10:00:00Z', transactionData });
    const detail = await t.server.storage.transactions.get(start.transactionId);
    assert.deepEqual(detail?.transactionData, transactionData);
    assert.deepEqual(detail?.meterValues.map((m) => m.context), ['Transaction.Begin', 'Transaction.End']);
    assert.equal(detail?.energyWh, 11000);
    await c.call('StopTransaction', { transactionId: start.transactionId, meterStop: 11000, timestamp: '2026-05-05T10:00:00Z', transactionData });
    const again = await t.server.storage.transactions.get(start.transactionId);
    assert.equal(again?.meterValues.length, 2, 'a resent stop adds no samples');
  });

  it('a StartTransaction violating the schema gets a CALLERROR and records nothing; the next valid one works', async () => {
    const { c, id } = await freshCharger();
    await assert.rejects(c.call('StartTransaction', { connectorId: '1', idTag: 'OK1', meterStart: 0, timestamp: '2026-05-06T10:00:00Z' } as any), (e: any) => e.code === 'TypeConstraintViolation' || e.name === 'OutboundValidationError');
    assert.equal((await list(id)).length, 0);
    const ok = (await c.call('StartTransaction', { connectorId: 1, idTag: 'OK1', meterStart: 0, timestamp: '2026-05-06T10:00:00Z' })) as any;
    assert.ok(ok.transactionId > 0);
  });
});
