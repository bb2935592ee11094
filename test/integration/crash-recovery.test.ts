// Crashes and storage outages: a real `voltgate serve` process killed with SIGKILL, and a storage that fails.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { connectRpc } from '../../src/ocpp/rpc/client.js';
import { freshStorageOptions } from '../support/test-database.js';
import { bootPayload, startTestServer } from '../support/server.js';

interface Child {
  process: ChildProcess;
  httpUrl: string;
  wsUrl: string;
}

async function startChild(env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/voltgate.ts', 'serve'], {
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', VOLTGATE_API_KEY: 'crash-key', VOLTGATE_UNKNOWN_CHARGERS: 'accept', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (!line.includes('Voltgate is running')) continue;
    const { api, ocpp } = JSON.parse(line) as { api: string; ocpp: string };
    return { process: child, httpUrl: api.replace(/\/api\/v1$/, ''), wsUrl: ocpp.replace(/\/\{chargePointId\}$/, '') };
  }
  throw new Error('voltgate serve exited before it was running');
}

async function kill9(child: Child): Promise<void> {
  child.process.kill('SIGKILL');
  if (child.process.exitCode === null) await once(child.process, 'exit');
}

describe('crash and outage recovery', () => {
  let database: Awaited<ReturnType<typeof freshStorageOptions>>;
  let env: Record<string, string>;
  before(async () => {
    database = await freshStorageOptions();
    env = { VOLTGATE_DATA_DIR: database.dataDir, ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}) };
  });
  after(() => database.cleanup());

  it('OCPP 1.6 §3.7.1 / CONFORMANCE 76: after kill -9, a replayed StartTransaction gets the same id and a replayed stop applies once', async () => {
    let child = await startChild(env);
    const start = { connectorId: 1, idTag: 'ANY', meterStart: 100, timestamp: '2026-07-01T10:00:00.000Z' };
    let cp = await connectRpc({ url: `${child.wsUrl}/CP-CRASH`, identity: 'CP-CRASH', protocols: ['ocpp1.6'], handlers: {} });
    await cp.call('BootNotification', bootPayload);
    const first = (await cp.call('StartTransaction', start)) as any;
    // A second start whose answer the charger never sees: the process dies right behind it.
    const lost = { ...start, connectorId: 2 };
    cp.call('StartTransaction', lost).catch(() => {});
    await new Promise((r) => setImmediate(r));
    await kill9(child);
    cp.terminate();

    child = await startChild(env);
    try {
      cp = await connectRpc({ url: `${child.wsUrl}/CP-CRASH`, identity: 'CP-CRASH', protocols: ['ocpp1.6'], handlers: {} });
      assert.equal(((await cp.call('StartTransaction', start)) as any).transactionId, first.transactionId);
      const replayedLost = (await cp.call('StartTransaction', lost)) as any;
      const stop = { transactionId: first.transactionId, meterStop: 900, timestamp: '2026-07-01T11:00:00.000Z' };
      cp.call('StopTransaction', stop).catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
      await kill9(child);
      cp.terminate();

      child = await startChild(env);
      cp = await connectRpc({ url: `${child.wsUrl}/CP-CRASH`, identity: 'CP-CRASH', protocols: ['ocpp1.6'], handlers: {} });
      assert.deepEqual(await cp.call('StopTransaction', stop), {});
      cp.terminate();
      const list = (await (await fetch(`${child.httpUrl}/api/v1/transactions?chargePointId=CP-CRASH`, { headers: { authorization: 'Bearer crash-key' } })).json()) as any;
      assert.equal(list.items.length, 2, 'one row per session, however often it was sent');
      const stopped = list.items.find((x: any) => x.id === first.transactionId);
      assert.equal(stopped.energyWh, 800);
      assert.ok(list.items.some((x: any) => x.id === replayedLost.transactionId));
    } finally {
      await kill9(child);
    }
  });

  it('CONFORMANCE 77: with storage failing, transaction messages get InternalError and Heartbeat is still answered; after recovery nothing is lost or doubled', async () => {
    const t = await startTestServer();
    try {
      const cp = await t.charger('CP-DBDOWN');
      const transactions = t.server.storage.transactions;
      const realStart = transactions.start;
      transactions.start = async () => {
        throw new Error('injected: connection refused');
      };
      const start = { connectorId: 1, idTag: 'ANY', meterStart: 0, timestamp: '2026-07-02T10:00:00.000Z' };
      await assert.rejects(cp.call('StartTransaction', start), (e: any) => e.code === 'InternalError');
      assert.ok(((await cp.call('Heartbeat', {})) as any).currentTime);
      transactions.start = realStart;
      const ok = (await cp.call('StartTransaction', start)) as any;
      const again = (await cp.call('StartTransaction', start)) as any;
      assert.equal(again.transactionId, ok.transactionId);
      const list = (await (await t.api('/api/v1/transactions?chargePointId=CP-DBDOWN')).json()) as any;
      assert.equal(list.items.length, 1);
    } finally {
      await t.close();
    }
  });
});
