// PRODUCT.md webhooks: signed deliveries of a session's events, retried with back-off until the receiver
// takes them, surviving a restart and a kill -9, and a subscription disabled after it keeps failing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { connectRpc } from '../../src/ocpp/rpc/client.js';
import { freshStorageOptions } from '../support/test-database.js';
import { bootPayload, startTestServer, type TestServer } from '../support/server.js';
import { startWebhookReceiver, waitFor, type WebhookReceiver } from '../support/webhook-receiver.js';

const SECRET = 'webhook-test-secret';
const FAST = { webhookRetryBaseMs: 20, webhookRetryMaxMs: 200 };
const SESSION_EVENTS = ['transaction.started', 'transaction.meter_values', 'transaction.stopped'];

async function subscribe(api: (path: string, init?: RequestInit) => Promise<Response>, url: string, events = SESSION_EVENTS) {
  const r = await api('/api/v1/webhooks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url, events, secret: SECRET }) });
  assert.equal(r.status, 201, await r.clone().text());
  return (await r.json()) as { id: string; enabled: boolean };
}

async function session(t: TestServer, id: string, meterStart = 1000) {
  const cp = await t.charger(id);
  await cp.call('BootNotification', bootPayload);
  const { transactionId } = (await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG1', meterStart, timestamp: '2026-03-01T10:00:00.000Z' })) as any;
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: '2026-03-01T10:30:00.000Z', sampledValue: [{ value: String(meterStart + 500) }] }] });
  await cp.call('StopTransaction', { transactionId, meterStop: meterStart + 1200, timestamp: '2026-03-01T11:00:00.000Z' });
  return transactionId as number;
}

/** What the receiver got about one charger's sessions (each test server numbers its sessions from 1). */
const eventsOf = (receiver: WebhookReceiver, chargePointId: string) =>
  receiver.deliveries.filter((d) => d.json.data.chargePointId === chargePointId).map((d) => d.json.event);

let CP = '';

describe('webhooks', () => {
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await startWebhookReceiver();
  });
  after(() => receiver.close());

  it('PRODUCT.md: a session\'s started, meter_values and stopped are delivered, signed with HMAC-SHA256 of the exact body', async () => {
    const t = await startTestServer(FAST);
    try {
      await subscribe(t.api, receiver.url);
      const transactionId = await session(t, (CP = 'CP-WH-1'));
      await waitFor(() => eventsOf(receiver, CP).length >= 3, 10_000, 'three deliveries');
      assert.deepEqual(eventsOf(receiver, CP).sort(), [...SESSION_EVENTS].sort(), 'only the subscribed events, each once');
      for (const d of receiver.deliveries.filter((x) => x.json.data.chargePointId === CP)) {
        assert.equal(d.headers['x-voltgate-signature'], createHmac('sha256', SECRET).update(d.body).digest('hex'));
        assert.equal(d.headers['x-voltgate-event'], d.json.event);
        assert.deepEqual(Object.keys(d.json).sort(), ['data', 'event', 'id', 'occurredAt']);
      }
      const stopped = receiver.deliveries.find((d) => d.json.event === 'transaction.stopped' && d.json.data.chargePointId === CP)!;
      assert.equal(stopped.json.data.id, transactionId);
      assert.equal(stopped.json.data.energyWh, 1200);
      assert.equal(stopped.json.data.chargePointId, 'CP-WH-1');
    } finally {
      await t.close();
    }
  });

  it('transaction.stopped carries the energy stored with the session, also when its meter values decided it (meter went backwards)', async () => {
    const t = await startTestServer(FAST);
    try {
      await subscribe(t.api, receiver.url, ['transaction.stopped']);
      const cp = await t.charger((CP = 'CP-WH-FALLBACK'));
      await cp.call('BootNotification', bootPayload);
      const { transactionId } = (await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG1', meterStart: 5000, timestamp: '2026-03-01T10:00:00.000Z' })) as any;
      const register = (timestamp: string, value: string) => ({ timestamp, sampledValue: [{ value, measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] });
      await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [register('2026-03-01T10:00:00.000Z', '5000')] });
      // The last register sample comes with the stop, in transactionData.
      await cp.call('StopTransaction', { transactionId, meterStop: 10, timestamp: '2026-03-01T11:00:00.000Z', transactionData: [register('2026-03-01T11:00:00.000Z', '6500')] });
      await waitFor(() => eventsOf(receiver, CP).length >= 1, 10_000, 'the stopped delivery');
      const stopped = receiver.deliveries.find((d) => d.json.data.chargePointId === CP)!.json.data;
      const stored = (await (await t.api(`/api/v1/transactions/${transactionId}`)).json()) as any;
      assert.equal(stored.energyWh, 1500);
      assert.equal(stopped.energyWh, 1500);
      assert.deepEqual(stopped.flags, stored.flags);
      assert.ok(stored.flags.includes('meter-backwards') && stored.flags.includes('energy-from-meter-values'), stored.flags.join());
    } finally {
      await t.close();
    }
  });

  it('PRODUCT.md "retried with back-off": a receiver that was down gets every event once it is back, and the log shows the failures', async () => {
    const t = await startTestServer(FAST);
    try {
      const hook = await subscribe(t.api, receiver.url, ['*']);
      await receiver.down();
      await session(t, (CP = 'CP-WH-2'));
      const log = async () => ((await (await t.api(`/api/v1/webhooks/${hook.id}/deliveries?limit=1000`)).json()) as any).items as any[];
      // Two failed attempts of the same event before the receiver comes back: that event was retried.
      await waitFor(async () => (await log()).filter((x) => x.event === 'transaction.started' && x.status === null && x.error).length >= 2, 10_000, 'failed attempts');
      await receiver.up();
      // Every session event arrives, and the log records the successful attempt of the one we follow.
      await waitFor(() => SESSION_EVENTS.every((name) => eventsOf(receiver, CP).includes(name)), 10_000, 'deliveries after the receiver came back');
      await waitFor(async () => (await log()).some((x) => x.event === 'transaction.started' && x.status === 200), 10_000, 'the logged success');
      const entries = await log();
      assert.ok(entries.some((x) => x.status === 200 && x.attempt > 1), 'a later attempt succeeded');
      assert.ok(entries.every((x) => typeof x.durationMs === 'number' && x.eventId && x.attemptedAt));
      const attempts = entries.filter((x) => x.event === 'transaction.started').map((x) => x.attemptedAt).sort();
      assert.ok(attempts.length >= 3, 'retried more than once');
    } finally {
      await t.close();
    }
  });

  it('no event lost across a restart: undelivered events go out after the server starts again', async () => {
    const t = await startTestServer(FAST);
    try {
      await subscribe(t.api, receiver.url);
      await receiver.down();
      await session(t, (CP = 'CP-WH-3'));
      await t.restart();
      await receiver.up();
      await waitFor(() => eventsOf(receiver, CP).length >= 3, 10_000, 'deliveries after the restart');
      assert.deepEqual(eventsOf(receiver, CP).sort(), [...SESSION_EVENTS].sort());
    } finally {
      await t.close();
    }
  });

  it('a subscription that fails VOLTGATE_WEBHOOK_MAX_FAILURES times in a row is disabled, and re-enabling it delivers what it missed', async () => {
    const t = await startTestServer({ ...FAST, webhookMaxFailures: 3 });
    try {
      const hook = await subscribe(t.api, receiver.url);
      receiver.answer(500);
      await session(t, (CP = 'CP-WH-4'));
      const get = async () => (await (await t.api(`/api/v1/webhooks/${hook.id}`)).json()) as any;
      const disabled = await waitFor(async () => ((await get()).enabled === false ? get() : null), 10_000, 'the subscription disabled');
      assert.equal(disabled.consecutiveFailures, 3);
      assert.ok(disabled.disabledAt);
      const list = (await (await t.api('/api/v1/webhooks')).json()) as any;
      assert.equal(list.items.find((x: any) => x.id === hook.id).enabled, false, 'shown as disabled');
      const log = (await (await t.api(`/api/v1/webhooks/${hook.id}/deliveries`)).json()) as any;
      assert.ok(log.items.every((x: any) => x.status === 500));
      const attempts = async () => ((await (await t.api(`/api/v1/webhooks/${hook.id}/deliveries?limit=1000`)).json()) as any).items.length;
      await new Promise((r) => setTimeout(r, 300));
      const settled = await attempts();
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(await attempts(), settled, 'no attempts while disabled');

      receiver.answer(200);
      const enabled = await t.api(`/api/v1/webhooks/${hook.id}/enable`, { method: 'POST' });
      assert.equal(enabled.status, 200);
      assert.equal(((await enabled.json()) as any).enabled, true);
      await waitFor(() => eventsOf(receiver, CP).length >= 3, 10_000, 'deliveries after re-enabling');
    } finally {
      receiver.answer(200);
      await t.close();
    }
  });

  it('a receiver slower than VOLTGATE_WEBHOOK_TIMEOUT_MS never holds up the chargers: its attempts time out and are retried', async () => {
    const t = await startTestServer({ ...FAST, webhookTimeoutMs: 200 });
    try {
      const hook = await subscribe(t.api, receiver.url, ['*']);
      receiver.delay(5000);
      const began = Date.now();
      await session(t, (CP = 'CP-WH-SLOW'));
      assert.ok(Date.now() - began < 2000, 'the session was answered at once');
      const log = async () => ((await (await t.api(`/api/v1/webhooks/${hook.id}/deliveries?limit=1000`)).json()) as any).items as any[];
      const timedOut = await waitFor(async () => (await log()).find((x) => /timed out after 200 ms/.test(x.error ?? '')), 5000, 'a timed-out attempt');
      assert.equal(timedOut.status, null);
      assert.ok(timedOut.durationMs >= 150 && timedOut.durationMs < 2000);
      receiver.delay(0);
      await waitFor(() => eventsOf(receiver, CP).length >= 3, 10_000, 'deliveries once the receiver is quick again');
    } finally {
      receiver.delay(0);
      await t.close();
    }
  });

  it('the API checks subscriptions: http(s) URLs, known event names; unknown ids are 404; delete removes it', async () => {
    const t = await startTestServer();
    try {
      const post = (body: unknown) => t.api('/api/v1/webhooks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal((await post({ url: 'ftp://example.com/x', events: ['*'], secret: SECRET })).status, 400);
      assert.equal((await post({ url: 'not a url', events: ['*'], secret: SECRET })).status, 400);
      assert.equal((await post({ url: receiver.url, events: ['charge_point.exploded'], secret: SECRET })).status, 400);
      assert.equal((await post({ url: receiver.url, events: [], secret: SECRET })).status, 400);
      // A cloud's metadata service hands out the machine's credentials: never a webhook target by default.
      for (const url of ['http://169.254.169.254/latest/meta-data', 'http://[fd00:ec2::254]/latest/meta-data', 'http://metadata.google.internal/computeMetadata/v1/']) {
        const refused = await post({ url, events: ['*'], secret: SECRET });
        assert.equal(refused.status, 400, url);
        assert.match(((await refused.json()) as any).error.message, /link-local or cloud-metadata/);
      }
      const created = (await (await post({ url: receiver.url, events: ['*'], secret: SECRET })).json()) as any;
      assert.equal(created.secret, undefined, 'the secret is never shown');
      assert.equal((await t.api('/api/v1/webhooks/wh_nope/deliveries')).status, 404);
      assert.equal((await t.api('/api/v1/webhooks/wh_nope/enable', { method: 'POST' })).status, 404);
      assert.equal((await t.api(`/api/v1/webhooks/${created.id}`, { method: 'DELETE' })).status, 204);
      assert.equal((await t.api(`/api/v1/webhooks/${created.id}`)).status, 404);
    } finally {
      await t.close();
    }
  });
});

describe('webhooks to link-local addresses', () => {
  it('VOLTGATE_ALLOW_LINK_LOCAL_URLS lets a subscription point at a link-local address', async () => {
    const t = await startTestServer({ allowLinkLocalUrls: true });
    try {
      const created = await t.api('/api/v1/webhooks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: 'http://169.254.10.10/hook', events: ['*'], secret: SECRET }) });
      assert.equal(created.status, 201);
    } finally {
      await t.close();
    }
  });
});

describe('webhooks after kill -9', () => {
  let database: Awaited<ReturnType<typeof freshStorageOptions>>;
  let receiver: WebhookReceiver;
  before(async () => {
    database = await freshStorageOptions();
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    await receiver.close();
    await database.cleanup();
  });

  async function startChild(): Promise<{ process: ChildProcess; httpUrl: string; wsUrl: string }> {
    const env = {
      ...process.env,
      VOLTGATE_DATA_DIR: database.dataDir,
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
      PORT: '0',
      HOST: '127.0.0.1',
      VOLTGATE_API_KEY: 'crash-key',
      VOLTGATE_UNKNOWN_CHARGERS: 'accept',
      VOLTGATE_WEBHOOK_RETRY_BASE_MS: '20',
      VOLTGATE_WEBHOOK_RETRY_MAX_MS: '200',
      LOG_LEVEL: 'info',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/voltgate.ts', 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    for await (const line of createInterface({ input: child.stdout! })) {
      if (!line.includes('Voltgate is running')) continue;
      const { api, ocpp } = JSON.parse(line) as { api: string; ocpp: string };
      // Keep reading so the child never blocks on a full pipe.
      child.stdout!.resume();
      return { process: child, httpUrl: api.replace(/\/api\/v1$/, ''), wsUrl: ocpp.replace(/\/\{chargePointId\}$/, '') };
    }
    throw new Error('voltgate serve exited before it was running');
  }

  it('events committed before a kill -9 are delivered by the next process', async () => {
    let child = await startChild();
    const api = (path: string, init: RequestInit = {}) => fetch(`${child.httpUrl}${path}`, { ...init, headers: { ...(init.headers as object), authorization: 'Bearer crash-key' } });
    try {
      await subscribe(api, receiver.url);
      await receiver.down();
      CP = 'CP-WH-KILL';
      const cp = await connectRpc({ url: `${child.wsUrl}/CP-WH-KILL`, identity: 'CP-WH-KILL', protocols: ['ocpp1.6'], handlers: {} });
      await cp.call('BootNotification', bootPayload);
      const { transactionId } = (await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG1', meterStart: 0, timestamp: '2026-03-02T10:00:00.000Z' })) as any;
      await cp.call('StopTransaction', { transactionId, meterStop: 700, timestamp: '2026-03-02T11:00:00.000Z' });
      child.process.kill('SIGKILL');
      if (child.process.exitCode === null) await once(child.process, 'exit');
      cp.terminate();
      await receiver.up();
      child = await startChild();
      await waitFor(() => eventsOf(receiver, CP).length >= 2, 15_000, 'deliveries after the kill');
      assert.deepEqual(eventsOf(receiver, CP).sort(), ['transaction.started', 'transaction.stopped']);
    } finally {
      child.process.kill('SIGKILL');
      if (child.process.exitCode === null) await once(child.process, 'exit');
    }
  });
});
