// Session statistics over real sockets and real storage (issue 4 point 2): energy with its meter-value
// fallback, duration and average power per session, and totals per charger, tag and UTC day.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';

const json = { 'content-type': 'application/json' };

describe('session statistics (OCPP 1.6)', () => {
  let t: TestServer;
  let fallbackId: number;
  let normalId: number;
  before(async () => {
    t = await startTestServer();
    for (const idTag of ['TAG-1', 'TAG-2']) {
      await t.api(`/api/v1/id-tags/${idTag}`, { method: 'PUT', headers: json, body: JSON.stringify({ status: 'Accepted' }) });
    }
    const a = await t.charger('CP-STAT-A');
    const b = await t.charger('CP-STAT-B');
    await a.call('BootNotification', bootPayload);
    await b.call('BootNotification', bootPayload);
    const start = async (c: RpcConnection, idTag: string, meterStart: number, timestamp: string) =>
      ((await c.call('StartTransaction', { connectorId: 1, idTag, meterStart, timestamp })) as any).transactionId as number;
    const stop = (c: RpcConnection, transactionId: number, meterStop: number, timestamp: string) =>
      c.call('StopTransaction', { transactionId, meterStop, timestamp, reason: 'Local' });

    normalId = await start(a, 'TAG-1', 1000, '2026-03-01T10:00:00.000Z');
    await stop(a, normalId, 4700, '2026-03-01T10:30:00.000Z');
    // Crosses midnight: counted on the UTC day it started.
    const night = await start(a, 'tag-2', 0, '2026-03-01T23:30:00.000Z');
    await stop(a, night, 10000, '2026-03-02T00:30:00.000Z');
    // The meter at stop went backwards: the register samples (one in kWh) decide.
    fallbackId = await start(b, 'TAG-1', 500, '2026-03-02T08:00:00.000Z');
    await b.call('MeterValues', {
      connectorId: 1,
      transactionId: fallbackId,
      meterValue: [
        { timestamp: '2026-03-02T08:00:00.000Z', sampledValue: [{ value: '500', unit: 'Wh', measurand: 'Energy.Active.Import.Register' }] },
        { timestamp: '2026-03-02T09:00:00.000Z', sampledValue: [{ value: '2.5', unit: 'kWh', measurand: 'Energy.Active.Import.Register' }, { value: '2.2', unit: 'kW', measurand: 'Power.Active.Import' }] },
      ],
    });
    await stop(b, fallbackId, 100, '2026-03-02T09:00:00.000Z');
    await start(b, 'TAG-2', 2600, '2026-03-02T12:00:00.000Z'); // still charging
    const later = await start(a, 'TAG-1', 20000, '2026-04-01T10:00:00.000Z'); // outside the period below
    await stop(a, later, 21000, '2026-04-01T11:00:00.000Z');
  });
  after(() => t.close());

  const stats = async (query: string) => {
    const r = await t.api(`/api/v1/statistics?${query}`);
    assert.equal(r.status, 200, await r.clone().text());
    return ((await r.json()) as any).items;
  };
  const period = 'from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z';

  it('a session has durationS and averagePowerW (energy ÷ duration) in the list, the detail and the CSV', async () => {
    const detail = (await (await t.api(`/api/v1/transactions/${normalId}`)).json()) as any;
    assert.equal(detail.energyWh, 3700);
    assert.equal(detail.durationS, 1800);
    assert.equal(detail.averagePowerW, 7400);
    const page = (await (await t.api('/api/v1/transactions?chargePointId=CP-STAT-B')).json()) as any;
    const active = page.items.find((s: any) => s.status === 'Active');
    assert.equal(active.durationS, null);
    assert.equal(active.averagePowerW, null);
    const csv = (await (await t.api(`/api/v1/transactions/export.csv?chargePointId=CP-STAT-A`)).text()).split('\r\n');
    assert.match(csv[0], /,durationS,averagePowerW$/);
    assert.ok(csv.includes(`${normalId},CP-STAT-A,1,,${normalId},TAG-1,,2026-03-01T10:00:00.000Z,2026-03-01T10:30:00.000Z,1000,4700,3700,Local,Completed,1800,7400`), csv.join('\n'));
  });

  it('issue 4: a meter that went backwards falls back to the register meter values (kWh in Wh), flagged energy-from-meter-values', async () => {
    const detail = (await (await t.api(`/api/v1/transactions/${fallbackId}`)).json()) as any;
    assert.equal(detail.meterStopWh, 100);
    assert.equal(detail.energyWh, 2000);
    assert.ok(detail.flags.includes('energy-from-meter-values'), detail.flags.join());
    assert.equal(detail.averagePowerW, 2000);
    const kwh = detail.meterValues.find((m: any) => m.unit === 'kWh');
    assert.deepEqual([kwh.value, kwh.normalizedValue, kwh.normalizedUnit], ['2.5', 2500, 'Wh']);
    const kw = detail.meterValues.find((m: any) => m.unit === 'kW');
    assert.deepEqual([kw.measurand, kw.normalizedValue, kw.normalizedUnit, kw.context], ['Power.Active.Import', 2200, 'W', 'Sample.Periodic']);
  });

  it('issue 4: an absurd meterStop (over 1 MW for an hour) with no register samples to fall back on gives no energy, flagged meter-implausible', async () => {
    const c = await t.charger('CP-STAT-C');
    const { transactionId } = (await c.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: '2026-06-01T10:00:00.000Z' })) as any;
    await c.call('StopTransaction', { transactionId, meterStop: 5_000_000, timestamp: '2026-06-01T11:00:00.000Z' });
    const detail = (await (await t.api(`/api/v1/transactions/${transactionId}`)).json()) as any;
    assert.equal(detail.meterStopWh, 5_000_000, 'the value as sent is kept');
    assert.equal(detail.energyWh, null);
    assert.ok(detail.flags.includes('meter-implausible'));
  });

  it('GET /statistics?groupBy=chargePoint: sessions, active sessions, energy and duration per charger over the period', async () => {
    assert.deepEqual(await stats(`groupBy=chargePoint&${period}`), [
      { key: 'CP-STAT-A', sessions: 2, activeSessions: 0, energyWh: 13700, durationS: 5400 },
      { key: 'CP-STAT-B', sessions: 2, activeSessions: 1, energyWh: 2000, durationS: 3600 },
    ]);
  });

  it('GET /statistics?groupBy=idTag: tags group case-insensitively', async () => {
    assert.deepEqual(await stats(`groupBy=idTag&${period}`), [
      { key: 'TAG-1', sessions: 2, activeSessions: 0, energyWh: 5700, durationS: 5400 },
      { key: 'TAG-2', sessions: 2, activeSessions: 1, energyWh: 10000, durationS: 3600 },
    ]);
  });

  it('GET /statistics?groupBy=day: UTC days of the start, the period bounds respected, filters combine', async () => {
    assert.deepEqual(await stats(`groupBy=day&${period}`), [
      { key: '2026-03-01', sessions: 2, activeSessions: 0, energyWh: 13700, durationS: 5400 },
      { key: '2026-03-02', sessions: 2, activeSessions: 1, energyWh: 2000, durationS: 3600 },
    ]);
    assert.deepEqual(await stats('groupBy=day&chargePointId=CP-STAT-A'), [
      { key: '2026-03-01', sessions: 2, activeSessions: 0, energyWh: 13700, durationS: 5400 },
      { key: '2026-04-01', sessions: 1, activeSessions: 0, energyWh: 1000, durationS: 3600 },
    ]);
    assert.deepEqual(await stats('groupBy=day&from=2026-04-02T00:00:00Z&to=2026-05-01T00:00:00Z'), []);
  });

  it('pages: limit and cursor walk the groups in key order, neither skipping nor repeating; a foreign cursor is 400', async () => {
    const page = async (query: string) => {
      const r = await t.api(`/api/v1/statistics?groupBy=day&${query}`);
      assert.equal(r.status, 200, await r.clone().text());
      return (await r.json()) as any;
    };
    const first = await page('limit=2');
    assert.deepEqual(first.items.map((i: any) => i.key), ['2026-03-01', '2026-03-02']);
    assert.equal(typeof first.nextCursor, 'string');
    const second = await page(`limit=2&cursor=${first.nextCursor}`);
    assert.deepEqual(second.items.map((i: any) => i.key), ['2026-04-01', '2026-06-01']);
    assert.equal(second.nextCursor, null, 'the last page');
    const one = await page('limit=1&from=2026-03-02T00:00:00Z');
    const after = await page(`limit=1&from=2026-03-02T00:00:00Z&cursor=${one.nextCursor}`);
    assert.deepEqual([one.items[0].key, after.items[0].key], ['2026-03-02', '2026-04-01']);
    assert.equal((await page('limit=100')).nextCursor, null);
    assert.equal((await t.api('/api/v1/statistics?groupBy=day&cursor=bm90LW91cnM')).status, 400);
  });

  it('PRODUCT.md errors: a missing or unknown groupBy is 400 naming it', async () => {
    const missing = await t.api('/api/v1/statistics');
    assert.equal(missing.status, 400);
    assert.match(((await missing.json()) as any).error.message, /groupBy/);
    const wrong = await t.api('/api/v1/statistics?groupBy=week');
    assert.equal(wrong.status, 400);
    assert.match(((await wrong.json()) as any).error.message, /groupBy/);
  });
});
