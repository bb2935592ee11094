// SIGTERM under load, on a real `voltgate serve` process (PRODUCT.md "What survives"): the chargers' messages
// already read are answered once their group commit lands, every charger is closed with 1001 (going away, so it
// reconnects elsewhere), the process exits 0 within VOLTGATE_SHUTDOWN_TIMEOUT_MS, and every message it
// acknowledged is on disk when the next process opens the same storage.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectRpc } from '../../src/ocpp/rpc/client.js';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';
import { freshStorageOptions, proxiedStorageOptions, type FreshStorage } from '../support/test-database.js';
import { startChildServer } from '../support/child-server.js';
import { SessionLoad, verifyLedger } from '../support/session-load.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('graceful shutdown', () => {
  let database: FreshStorage;
  let env: Record<string, string>;
  before(async () => {
    database = await freshStorageOptions();
    env = { VOLTGATE_DATA_DIR: database.dataDir, VOLTGATE_SHUTDOWN_TIMEOUT_MS: '10000', ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}) };
  });
  after(() => database.cleanup());

  it('PRODUCT.md "What survives": SIGTERM under load → chargers closed with 1001, exit 0 within the timeout, every acknowledged message on disk', async () => {
    const server = await startChildServer({ env });
    const tag = await server.api('/api/v1/id-tags/STOP-TAG', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Accepted', maxActiveTransactions: 100 }) });
    assert.ok(tag.ok);
    const chargers: Array<{ id: string; connection: RpcConnection }> = [];
    const closes: number[] = [];
    for (let i = 1; i <= 10; i++) {
      const id = `SIGTERM-${i}`;
      const connection = await connectRpc({ url: `${server.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, callTimeoutMs: 5000 });
      connection.on('close', (info: { code: number }) => closes.push(info.code));
      chargers.push({ id, connection });
    }
    const load = new SessionLoad(chargers, { idTag: 'STOP-TAG', meterValuesPerSession: 3 });
    load.start();
    await sleep(1500);
    assert.ok(load.counts.acknowledged > 50, `load is running (${load.counts.acknowledged} acknowledged)`);
    const signalled = Date.now();
    server.process.kill('SIGTERM');
    const exit = await server.exited;
    const tookMs = Date.now() - signalled;
    await load.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, `exited cleanly: ${server.stderr()}`);
    assert.ok(tookMs < 10_000, `exited within VOLTGATE_SHUTDOWN_TIMEOUT_MS (took ${tookMs} ms)`);
    assert.deepEqual(closes, chargers.map(() => 1001), 'every charger was closed with 1001');
    assert.ok(server.logs.some((l) => l.msg === 'shutting down'));

    const next = await startChildServer({ env });
    try {
      await verifyLedger((path) => next.api(path), load.ledger, chargers.map((c) => c.id), false);
    } finally {
      await next.kill('SIGTERM');
    }
  });
});

describe('graceful shutdown with the database away', { skip: process.env.DATABASE_URL ? false : 'needs PostgreSQL: set DATABASE_URL (.ci/run does)' }, () => {
  it('PRODUCT.md "What survives": SIGTERM while the line to PostgreSQL is stalled → chargers still closed with 1001, exit within VOLTGATE_SHUTDOWN_TIMEOUT_MS', async () => {
    const database = (await proxiedStorageOptions())!;
    try {
      const server = await startChildServer({ env: { VOLTGATE_DATA_DIR: database.dataDir, DATABASE_URL: database.databaseUrl!, VOLTGATE_SHUTDOWN_TIMEOUT_MS: '4000' } });
      const closes: number[] = [];
      const chargers: Array<{ id: string; connection: RpcConnection }> = [];
      for (let i = 1; i <= 4; i++) {
        const id = `STALLED-${i}`;
        const connection = await connectRpc({ url: `${server.wsUrl}/${id}`, identity: id, protocols: ['ocpp1.6'], handlers: {}, callTimeoutMs: 5000 });
        connection.on('close', (info: { code: number }) => closes.push(info.code));
        chargers.push({ id, connection });
      }
      const load = new SessionLoad(chargers, { idTag: 'ANY' });
      load.start();
      await sleep(500);
      database.proxy.blackhole();
      await sleep(200);
      const signalled = Date.now();
      server.process.kill('SIGTERM');
      const exit = await Promise.race([server.exited, sleep(8000).then(() => 'still running after 8 s')]);
      const tookMs = Date.now() - signalled;
      await server.kill('SIGKILL');
      await load.stop();
      assert.ok(tookMs < 5000, `exited within VOLTGATE_SHUTDOWN_TIMEOUT_MS (took ${tookMs} ms, ${JSON.stringify(exit)})`);
      assert.deepEqual(closes, chargers.map(() => 1001), 'every charger was closed with 1001');
    } finally {
      await database.proxy.restore();
      await database.cleanup();
    }
  });
});
