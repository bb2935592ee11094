// PostgreSQL going away under load, for real: the line cut by a TCP proxy between Voltgate and the server,
// new connections refused, the line stalled with nothing closing, and Voltgate's backends terminated by the
// server. The process must live through each, answer InternalError for what it could not store, keep serving
// what needs no write, and carry on by itself, with every acknowledged row stored once (CONFORMANCE 77, 84).
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { proxiedStorageOptions, terminateBackends } from '../support/test-database.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { SessionLoad, verifyLedger } from '../support/session-load.js';
import { failedStart } from '../support/child-server.js';
import { startWebhookReceiver, waitFor } from '../support/webhook-receiver.js';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';
import type { TcpProxy } from '../../src/simulator/tcp-proxy.js';

const skip = process.env.DATABASE_URL ? false : 'needs PostgreSQL: set DATABASE_URL (.ci/run does) to run the fault tests against the real server';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TAG = 'FAULT-TAG';
const CHARGERS = 8;

interface Rig {
  t: TestServer;
  proxy: TcpProxy;
  directUrl: string;
  chargers: Array<{ id: string; connection: RpcConnection }>;
  load: SessionLoad;
  closes: number;
}

async function rig(name: string): Promise<Rig> {
  const database = (await proxiedStorageOptions())!;
  // Short timeouts, so a stalled line is found out well inside the test chargers' 5 s call timeout.
  const t = await startTestServer({ dbTimeoutMs: 1000 }, { database });
  const put = await t.api(`/api/v1/id-tags/${TAG}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Accepted', maxActiveTransactions: 100 }) });
  assert.ok(put.ok, `ID tag created: HTTP ${put.status}`);
  const chargers: Rig['chargers'] = [];
  const state = { closes: 0 };
  for (let i = 1; i <= CHARGERS; i++) {
    const id = `${name}-${i}`;
    const connection = await t.charger(id);
    connection.on('close', () => (state.closes += 1));
    await connection.call('BootNotification', { chargePointVendor: 'Voltgate', chargePointModel: 'Fault' });
    chargers.push({ id, connection });
  }
  const load = new SessionLoad(chargers, { idTag: TAG, meterValuesPerSession: 3, retryMs: 100 });
  return {
    t,
    proxy: database.proxy,
    directUrl: database.directUrl,
    chargers,
    load,
    get closes() {
      return state.closes;
    },
  };
}

/** While storage is away: what needs no write is answered, probes say so, REST reads fail fast with 503. */
async function checkServingWithoutStorage(r: Rig): Promise<void> {
  const charger = r.chargers[0].connection;
  assert.ok(((await charger.call('Heartbeat', {})) as any).currentTime, 'Heartbeat answered');
  assert.equal(((await charger.call('Authorize', { idTag: TAG })) as any).idTagInfo.status, 'Accepted', 'Authorize answered from memory');
  const boot = (await charger.call('BootNotification', { chargePointVendor: 'Voltgate', chargePointModel: 'Fault' })) as any;
  assert.equal(boot.status, 'Accepted', 'BootNotification of a known charger answered');
  assert.deepEqual(await charger.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' }), {});
  assert.equal((await fetch(`${r.t.httpUrl}/healthz`)).status, 200);
  assert.equal((await fetch(`${r.t.httpUrl}/readyz`)).status, 503);
  assert.match(await (await fetch(`${r.t.httpUrl}/metrics`)).text(), /^voltgate_storage_up 0$/m);
  const started = Date.now();
  const read = await r.t.api('/api/v1/transactions');
  assert.equal(read.status, 503);
  assert.equal(((await read.json()) as any).error.code, 'storage_unavailable');
  assert.ok(read.headers.get('retry-after'));
  assert.ok(Date.now() - started < 2500, `a REST read while storage is away answers at once, took ${Date.now() - started} ms`);
}

async function finish(r: Rig): Promise<void> {
  await r.load.stop();
  assert.equal(r.closes, 0, 'no charger was disconnected by the fault');
  await verifyLedger((path) => r.t.api(path), r.load.ledger, r.chargers.map((c) => c.id));
  assert.equal((await fetch(`${r.t.httpUrl}/readyz`)).status, 200);
}

describe('PostgreSQL faults under load', { skip }, () => {
  let r: Rig | null = null;
  afterEach(async () => {
    await r?.t.close();
    r = null;
  });

  it('CONFORMANCE 77, 84: every connection cut and new ones refused → InternalError meanwhile, Heartbeat and Authorize answered, service back within 5 s, every acknowledged row stored once, every webhook delivered', async () => {
    r = await rig('CUT');
    const receiver = await startWebhookReceiver();
    const hook = await r.t.api('/api/v1/webhooks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['transaction.started', 'transaction.stopped', 'charge_point.status_changed'], secret: 'fault-secret-1' }),
    });
    assert.equal(hook.status, 201);
    r.load.start();
    await sleep(800);
    await r.proxy.refuse();
    await sleep(1500);
    const during = { ...r.load.counts.errors };
    await checkServingWithoutStorage(r);
    assert.ok((during.InternalError ?? 0) > 0, `money-bearing messages got InternalError while the line was cut: ${JSON.stringify(during)}`);
    const back = Date.now();
    await r.proxy.restore();
    const tookMs = await r.load.acknowledgedAfter(back, 5000);
    assert.ok(tookMs < 5000);
    await sleep(500);
    await finish(r);
    // Held while away, written when back: the StatusNotification answered during the outage.
    const cp = (await (await r.t.api(`/api/v1/charge-points/${r.chargers[0].id}`)).json()) as any;
    assert.equal(cp.connectors.find((c: any) => c.connectorId === 1)?.status, 'Charging');
    // The outbox came through: every acknowledged session was announced, started and stopped, its status change too.
    // transaction.started names the session transactionId; transaction.stopped carries the session itself (id).
    const ofKind = (event: string) => new Set(receiver.deliveries.filter((d) => d.json.event === event).map((d) => d.json.data.transactionId ?? d.json.data.id));
    try {
      await waitFor(() => r!.load.ledger.starts.every((s) => ofKind('transaction.started').has(s.transactionId)) || null, 15_000, 'transaction.started for every acknowledged start');
      await waitFor(() => r!.load.ledger.stops.every((s) => ofKind('transaction.stopped').has(s.transactionId)) || null, 15_000, 'transaction.stopped for every acknowledged stop');
      await waitFor(() => receiver.deliveries.some((d) => d.json.event === 'charge_point.status_changed' && d.json.data.status === 'Charging') || null, 15_000, 'the held status change');
    } finally {
      await receiver.close();
    }
  });

  it('CONFORMANCE 84: a stalled line (packets dropped, nothing closed) is found out by the timeouts: no charger waits past its call timeout, and service comes back', async () => {
    r = await rig('STALL');
    r.load.start();
    await sleep(800);
    r.proxy.blackhole();
    await sleep(3000);
    assert.equal(r.load.counts.timeouts, 0, 'no call waited past the chargers 5 s timeout');
    assert.ok((r.load.counts.errors.InternalError ?? 0) > 0, 'money-bearing messages got InternalError while the line was stalled');
    await checkServingWithoutStorage(r);
    const back = Date.now();
    await r.proxy.restore();
    await r.load.acknowledgedAfter(back, 5000);
    await sleep(500);
    await finish(r);
    assert.equal(r.load.counts.timeouts, 0);
  });

  it('CONFORMANCE 84: pg_terminate_backend of every Voltgate backend, again and again mid-batch → the process lives, service goes on, every acknowledged row stored once', async () => {
    r = await rig('TERM');
    r.load.start();
    await sleep(500);
    let ended = 0;
    for (let i = 0; i < 6; i++) {
      ended += await terminateBackends(r.directUrl);
      await sleep(250);
    }
    assert.ok(ended > 0, 'backends were terminated');
    const back = Date.now();
    await r.load.acknowledgedAfter(back, 5000);
    await sleep(300);
    await finish(r);
  });
});

describe('PostgreSQL at start-up', { skip }, () => {
  let database: Awaited<ReturnType<typeof proxiedStorageOptions>>;
  before(async () => {
    database = await proxiedStorageOptions();
  });
  after(async () => database?.cleanup());

  it('issue 9: a database unreachable at start is waited for, and served once it is reachable', async () => {
    await database!.proxy.refuse();
    setTimeout(() => void database!.proxy.restore(), 1500);
    const started = Date.now();
    const t = await startTestServer({ dbTimeoutMs: 1000, dbWaitS: 30 }, { database: { ...database!, cleanup: async () => {} } });
    try {
      assert.ok(Date.now() - started >= 1400, 'start-up waited for the database');
      const cp = await t.charger('CP-LATE');
      assert.equal(((await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })) as any).status, 'Accepted');
      assert.equal(typeof ((await cp.call('StartTransaction', { connectorId: 1, idTag: 'ANY', meterStart: 0, timestamp: new Date().toISOString() })) as any).transactionId, 'number');
    } finally {
      await t.close();
    }
  });
});

describe('a database that cannot work stops start-up, naming DATABASE_URL without its password', () => {
  it('issue 9: unreachable for longer than VOLTGATE_DB_WAIT_S → exit 2 after waiting, saying so', async () => {
    // Port 1 on loopback: nothing listens there, every attempt is refused at once.
    const { code, stderr } = await failedStart({ DATABASE_URL: 'postgres://voltgate:s3cret-pw@127.0.0.1:1/voltgate', VOLTGATE_DB_WAIT_S: '2' });
    assert.equal(code, 2);
    assert.match(stderr, /DATABASE_URL \(postgres:\/\/voltgate:\*\*\*@127\.0\.0\.1:1\/voltgate\): not reachable after \d+ s/);
    assert.doesNotMatch(stderr, /s3cret-pw/);
  });

  it('issue 9: a role that does not exist → exit 2 at once', { skip }, async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.username = 'no_such_role_voltgate';
    url.password = 's3cret-pw';
    const { code, stderr } = await failedStart({ DATABASE_URL: url.toString() });
    assert.equal(code, 2);
    assert.match(stderr, /DATABASE_URL \(.*\*\*\*.*\): .*no_such_role_voltgate/);
    assert.doesNotMatch(stderr, /s3cret-pw/);
  });

  it('issue 9: a database that does not exist → exit 2 at once', { skip }, async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = '/no_such_database_voltgate';
    const { code, stderr } = await failedStart({ DATABASE_URL: url.toString() });
    assert.equal(code, 2);
    assert.match(stderr, /DATABASE_URL \(.*no_such_database_voltgate\): .*does not exist/);
  });
});
