// Crashes: a real `voltgate serve` process killed with SIGKILL. Storage outages are real ones too, elsewhere:
// postgres-faults.test.ts (the line cut, stalled, backends terminated) and sqlite-full-disk.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectRpc } from '../../src/ocpp/rpc/client.js';
import { freshStorageOptions } from '../support/test-database.js';
import { bootPayload } from '../support/server.js';
import { startChildServer } from '../support/child-server.js';

describe('crash recovery', () => {
  let database: Awaited<ReturnType<typeof freshStorageOptions>>;
  let env: Record<string, string>;
  before(async () => {
    database = await freshStorageOptions();
    env = { VOLTGATE_DATA_DIR: database.dataDir, ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}) };
  });
  after(() => database.cleanup());

  it('OCPP 1.6 §3.7.1 / CONFORMANCE 76: after kill -9, a replayed StartTransaction gets the same id and a replayed stop applies once', async () => {
    let child = await startChildServer({ env });
    const start = { connectorId: 1, idTag: 'ANY', meterStart: 100, timestamp: '2026-07-01T10:00:00.000Z' };
    let cp = await connectRpc({ url: `${child.wsUrl}/CP-CRASH`, identity: 'CP-CRASH', protocols: ['ocpp1.6'], handlers: {} });
    await cp.call('BootNotification', bootPayload);
    const first = (await cp.call('StartTransaction', start)) as any;
    // A second start whose answer the charger never sees: the process dies right behind it.
    const lost = { ...start, connectorId: 2 };
    cp.call('StartTransaction', lost).catch(() => {});
    await new Promise((r) => setImmediate(r));
    await child.kill('SIGKILL');
    cp.terminate();

    child = await startChildServer({ env });
    try {
      cp = await connectRpc({ url: `${child.wsUrl}/CP-CRASH`, identity: 'CP-CRASH', protocols: ['ocpp1.6'], handlers: {} });
      assert.equal(((await cp.call('StartTransaction', start)) as any).transactionId, first.transactionId);
      const replayedLost = (await cp.call('StartTransaction', lost)) as any;
      const stop = { transactionId: first.transactionId, meterStop: 900, timestamp: '2026-07-01T11:00:00.000Z' };
      cp.call('StopTransaction', stop).catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
      await child.kill('SIGKILL');
      cp.terminate();

      child = await startChildServer({ env });
      cp = await connectRpc({ url: `${child.wsUrl}/CP-CRASH`, identity: 'CP-CRASH', protocols: ['ocpp1.6'], handlers: {} });
      assert.deepEqual(await cp.call('StopTransaction', stop), {});
      cp.terminate();
      const list = (await (await child.api('/api/v1/transactions?chargePointId=CP-CRASH')).json()) as any;
      assert.equal(list.items.length, 2, 'one row per session, however often it was sent');
      const stopped = list.items.find((x: any) => x.id === first.transactionId);
      assert.equal(stopped.energyWh, 800);
      assert.ok(list.items.some((x: any) => x.id === replayedLost.transactionId));
    } finally {
      await child.kill('SIGKILL');
    }
  });
});
