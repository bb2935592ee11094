// The live feed (issue 4 point 5): server-sent events at /api/v1/events, the same events as the webhooks,
// live, and resumed from the outbox with Last-Event-ID.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootPayload, startTestServer, TEST_API_KEY, type TestServer } from '../support/server.js';
import { waitFor } from '../support/webhook-receiver.js';

interface SseEvent {
  id: string;
  event: string;
  data: any;
}

/** A minimal EventSource over fetch: collects every event of the stream until closed. */
async function openFeed(t: TestServer, init: { path?: string; headers?: Record<string, string> } = {}) {
  const controller = new AbortController();
  const response = await fetch(`${t.httpUrl}${init.path ?? '/api/v1/events'}`, {
    headers: init.headers ?? { authorization: `Bearer ${TEST_API_KEY}` },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  let comments = 0;
  if (response.ok) {
    void (async () => {
      const decoder = new TextDecoder();
      let text = '';
      try {
        for await (const chunk of response.body!) {
          text += decoder.decode(chunk as Uint8Array, { stream: true });
          let end;
          while ((end = text.indexOf('\n\n')) >= 0) {
            const block = text.slice(0, end);
            text = text.slice(end + 2);
            const fields: Record<string, string> = {};
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments += 1;
              const m = /^(\w+): (.*)$/.exec(line);
              if (m) fields[m[1]] = m[2];
            }
            if (fields.data) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  return { response, events, comments: () => comments, close: () => controller.abort() };
}

describe('live feed /api/v1/events', () => {
  it('issue 4 point 5: streams the events of a session live as text/event-stream with id, event and data lines', async () => {
    const t = await startTestServer();
    try {
      const feed = await openFeed(t);
      assert.equal(feed.response.status, 200);
      assert.match(feed.response.headers.get('content-type')!, /^text\/event-stream/);
      const cp = await t.charger('CP-FEED-1');
      await cp.call('BootNotification', bootPayload);
      await cp.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
      const { transactionId } = (await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG1', meterStart: 0, timestamp: '2026-04-01T10:00:00.000Z' })) as any;
      await cp.call('StopTransaction', { transactionId, meterStop: 300, timestamp: '2026-04-01T11:00:00.000Z' });
      // Decisions are not money: their rows (and events) are appended every 100 ms, not with the answer.
      await waitFor(() => feed.events.some((e) => e.event === 'transaction.stopped') && feed.events.some((e) => e.event === 'authorization.decided'), 5000, 'the session on the feed');
      const names = feed.events.map((e) => e.event);
      for (const name of ['charge_point.connected', 'charge_point.status_changed', 'authorization.decided', 'transaction.started', 'transaction.stopped']) {
        assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
      }
      for (const e of feed.events) {
        assert.equal(e.data.id, e.id, 'the data line is the webhook body, with the same id');
        assert.equal(e.data.event, e.event);
        assert.ok(e.data.occurredAt && e.data.data);
      }
      assert.ok(feed.comments() >= 1, 'an opening comment flushes the headers');
      feed.close();
    } finally {
      await t.close();
    }
  });

  it('charge_point.status_changed goes out when the status or its error changes, not for a repeat or an older status replayed', async () => {
    const t = await startTestServer();
    try {
      const feed = await openFeed(t);
      const cp = await t.charger('CP-FEED-STATUS');
      await cp.call('BootNotification', bootPayload);
      const status = (status: string, errorCode: string, timestamp: string) => cp.call('StatusNotification', { connectorId: 1, status, errorCode, timestamp });
      await status('Available', 'NoError', '2026-04-03T10:00:00.000Z');
      await status('Available', 'NoError', '2026-04-03T10:01:00.000Z');
      await status('Available', 'GroundFailure', '2026-04-03T10:02:00.000Z');
      await status('Charging', 'NoError', '2026-04-03T09:00:00.000Z'); // older: history only
      await status('Charging', 'NoError', '2026-04-03T10:03:00.000Z');
      await waitFor(() => feed.events.filter((e) => e.event === 'charge_point.status_changed').length >= 3, 5000, 'three changes');
      // Whatever else is on its way has had time to arrive.
      await new Promise((r) => setTimeout(r, 300));
      const changes = feed.events.filter((e) => e.event === 'charge_point.status_changed').map((e) => `${e.data.data.status}/${e.data.data.errorCode}`);
      assert.deepEqual(changes, ['Available/NoError', 'Available/GroundFailure', 'Charging/NoError']);
      feed.close();
    } finally {
      await t.close();
    }
  });

  it('takes the operator key as ?key= for EventSource, and refuses a stream without a valid key', async () => {
    const t = await startTestServer();
    try {
      const withQuery = await openFeed(t, { path: `/api/v1/events?key=${TEST_API_KEY}`, headers: {} });
      assert.equal(withQuery.response.status, 200);
      withQuery.close();
      assert.equal((await fetch(`${t.httpUrl}/api/v1/events?key=wrong`)).status, 401);
      assert.equal((await fetch(`${t.httpUrl}/api/v1/events`)).status, 401);
      assert.equal((await fetch(`${t.httpUrl}/api/v1/webhooks?key=${TEST_API_KEY}`)).status, 401, 'only the feed takes the key in the URL');
    } finally {
      await t.close();
    }
  });

  it('resumes with Last-Event-ID: the events after it, from the outbox, also across a restart, then live', async () => {
    const t = await startTestServer();
    try {
      let feed = await openFeed(t);
      let cp = await t.charger('CP-FEED-2');
      await cp.call('BootNotification', bootPayload);
      const { transactionId } = (await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG1', meterStart: 0, timestamp: '2026-04-02T10:00:00.000Z' })) as any;
      const started = await waitFor(() => feed.events.find((e) => e.event === 'transaction.started'), 5000, 'transaction.started');
      feed.close();
      // Missed while no one listened, and the server restarted in between.
      await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: '2026-04-02T10:30:00.000Z', sampledValue: [{ value: '150' }] }] });
      await t.restart();
      cp = await t.charger('CP-FEED-2');
      await cp.call('StopTransaction', { transactionId, meterStop: 300, timestamp: '2026-04-02T11:00:00.000Z' });

      feed = await openFeed(t, { headers: { authorization: `Bearer ${TEST_API_KEY}`, 'last-event-id': started.id } });
      await waitFor(() => feed.events.some((e) => e.event === 'transaction.stopped'), 5000, 'the missed transaction.stopped');
      const names = feed.events.map((e) => e.event);
      assert.ok(!names.includes('transaction.started'), 'nothing up to Last-Event-ID again');
      assert.ok(names.includes('transaction.meter_values'));
      assert.ok(names.includes('charge_point.disconnected'), 'the disconnect at the restart');
      assert.deepEqual(feed.events.map((e) => e.id), [...new Set(feed.events.map((e) => e.id))], 'each event once');
      assert.ok(feed.events.every((e) => e.id > started.id));
      // And live after the replay.
      await cp.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
      await waitFor(() => feed.events.some((e) => e.event === 'charge_point.status_changed'), 5000, 'a live event after the replay');
      feed.close();
    } finally {
      await t.close();
    }
  });
});
