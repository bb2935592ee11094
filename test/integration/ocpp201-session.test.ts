// An OCPP 2.0.1 station's whole life over a real WebSocket (issue 10): handshake, boot, status per EVSE,
// Authorize, a session told as TransactionEvents, and what REST, CSV and webhooks then say of it, in the same
// words as for a 1.6 charger. Runs on SQLite, and on PostgreSQL with DATABASE_URL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { startWebhookReceiver, waitFor, type WebhookReceiver } from '../support/webhook-receiver.js';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';
import { V201_ACTIONS } from '../../src/ocpp/schemas/generated/v201.js';
import { CSMS_ACTIONS_V201 } from '../../src/ocpp/v201/outbound.js';

const V201 = ['ocpp2.0.1'];
const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'Voltgate', model: 'Station-201', serialNumber: 'SN-201', firmwareVersion: '2.0' } };
const energy = (wh: number, context: string, timestamp: string) => ({
  timestamp,
  sampledValue: [{ value: wh, measurand: 'Energy.Active.Import.Register', context, unitOfMeasure: { unit: 'Wh' } }],
});

function event(transactionId: string, seqNo: number, eventType: 'Started' | 'Updated' | 'Ended', timestamp: string, more: Record<string, unknown> = {}) {
  return {
    eventType,
    timestamp,
    seqNo,
    triggerReason: eventType === 'Started' ? 'Authorized' : eventType === 'Ended' ? 'EVCommunicationLost' : 'MeterValuePeriodic',
    transactionInfo: { transactionId, ...(eventType === 'Ended' ? { stoppedReason: 'EVDisconnected' } : {}) },
    evse: { id: 1, connectorId: 1 },
    ...more,
  };
}

describe('OCPP 2.0.1 station end to end', () => {
  let t: TestServer;
  let receiver: WebhookReceiver;
  let station: RpcConnection;
  before(async () => {
    t = await startTestServer();
    receiver = await startWebhookReceiver();
    const hook = await t.api('/api/v1/webhooks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['transaction.started', 'transaction.stopped'], secret: 'v201-secret-1' }),
    });
    assert.equal(hook.status, 201);
    for (const [tag, body] of [
      ['GROUP-201', { status: 'Accepted', maxActiveTransactions: 10 }],
      ['CARD-201', { status: 'Accepted', parentIdTag: 'GROUP-201', expiryDate: '2030-01-01T00:00:00.000Z' }],
      ['BLOCKED-201', { status: 'Blocked', parentIdTag: 'GROUP-201' }],
    ] as const) {
      const r = await t.api(`/api/v1/id-tags/${tag}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.ok(r.ok);
    }
    station = await t.charger('ST-201', { protocols: V201 });
  });
  after(async () => {
    await receiver.close();
    await t.close();
  });

  it('Part 4 §3.2 / CONFORMANCE 19: ocpp2.0.1 is negotiated when offered; REST shows protocol ocpp2.0.1 and the station as booted', async () => {
    assert.equal(station.protocol, 'ocpp2.0.1');
    const answer = (await station.call('BootNotification', boot)) as any;
    assert.equal(answer.status, 'Accepted');
    assert.equal(typeof answer.interval, 'number');
    const cp = (await (await t.api('/api/v1/charge-points/ST-201')).json()) as any;
    assert.equal(cp.protocol, 'ocpp2.0.1');
    assert.equal(cp.vendor, 'Voltgate');
    assert.equal(cp.serialNumber, 'SN-201');
  });

  it('issue 10: StatusNotification is kept per EVSE and connector', async () => {
    const at = new Date().toISOString();
    assert.deepEqual(await station.call('StatusNotification', { timestamp: at, connectorStatus: 'Available', evseId: 1, connectorId: 1 }), {});
    assert.deepEqual(await station.call('StatusNotification', { timestamp: at, connectorStatus: 'Occupied', evseId: 2, connectorId: 1 }), {});
    const cp = (await (await t.api('/api/v1/charge-points/ST-201')).json()) as any;
    assert.deepEqual(
      cp.connectors.map((c: any) => [c.evseId, c.connectorId, c.status]),
      [[1, 1, 'Available'], [2, 1, 'Occupied']],
    );
  });

  it('C01 / CONFORMANCE 65: Authorize answers idTokenInfo, with the group as groupIdToken; unknown and blocked tokens as stored', async () => {
    const ok = (await station.call('Authorize', { idToken: { idToken: 'card-201', type: 'ISO14443' } })) as any;
    assert.deepEqual(ok.idTokenInfo, { status: 'Accepted', cacheExpiryDateTime: '2030-01-01T00:00:00.000Z', groupIdToken: { idToken: 'GROUP-201', type: 'Central' } });
    assert.equal(((await station.call('Authorize', { idToken: { idToken: 'NOBODY', type: 'ISO14443' } })) as any).idTokenInfo.status, 'Invalid');
    assert.equal(((await station.call('Authorize', { idToken: { idToken: 'BLOCKED-201', type: 'ISO14443' } })) as any).idTokenInfo.status, 'Blocked');
    // The decision log carries the type the station presented.
    await waitFor(async () => ((await (await t.api('/api/v1/authorizations?idTag=NOBODY')).json()) as any).items[0] || null, 5000, 'the logged decision');
    const logged = ((await (await t.api('/api/v1/authorizations?idTag=NOBODY')).json()) as any).items[0];
    assert.deepEqual([logged.reason, logged.status, logged.idTokenType], ['Authorize', 'Invalid', 'ISO14443']);
  });

  it('E01–E07 / CONFORMANCE 64: Started, Updated, Ended make one session: meters from Transaction.Begin and End, the charger’s times and transaction id, REST, CSV, statistics and webhooks alike', async () => {
    const tx = 'a3f1c2d4-0001-4000-8000-000000000001';
    const started = (await station.call('TransactionEvent', event(tx, 0, 'Started', '2026-05-01T10:00:00.000Z', {
      idToken: { idToken: 'CARD-201', type: 'ISO14443' },
      meterValue: [energy(10_000, 'Transaction.Begin', '2026-05-01T10:00:00.000Z')],
    }))) as any;
    assert.equal(started.idTokenInfo.status, 'Accepted');
    assert.deepEqual(await station.call('TransactionEvent', event(tx, 1, 'Updated', '2026-05-01T10:30:00.000Z', { meterValue: [energy(13_000, 'Sample.Periodic', '2026-05-01T10:30:00.000Z')] })), {});
    assert.deepEqual(await station.call('TransactionEvent', event(tx, 2, 'Ended', '2026-05-01T11:00:00.000Z', { meterValue: [energy(16_500, 'Transaction.End', '2026-05-01T11:00:00.000Z')] })), {});

    const list = (await (await t.api('/api/v1/transactions?chargePointId=ST-201')).json()) as any;
    const session = list.items.find((s: any) => s.chargerTransactionId === tx);
    assert.ok(session, 'one session for the three events');
    assert.deepEqual(
      { evseId: session.evseId, connectorId: session.connectorId, idTag: session.idTag, idTokenType: session.idTokenType, startedAt: session.startedAt, stoppedAt: session.stoppedAt },
      { evseId: 1, connectorId: 1, idTag: 'CARD-201', idTokenType: 'ISO14443', startedAt: '2026-05-01T10:00:00.000Z', stoppedAt: '2026-05-01T11:00:00.000Z' },
    );
    assert.deepEqual([session.meterStartWh, session.meterStopWh, session.energyWh, session.stopReason, session.status], [10_000, 16_500, 6_500, 'EVDisconnected', 'Completed']);
    assert.equal(session.durationS, 3600);
    assert.equal(typeof session.id, 'number');
    const detail = (await (await t.api(`/api/v1/transactions/${session.id}`)).json()) as any;
    assert.deepEqual(detail.meterValues.map((m: any) => [m.value, m.context]), [['10000', 'Transaction.Begin'], ['13000', 'Sample.Periodic'], ['16500', 'Transaction.End']]);
    const csv = await (await t.api('/api/v1/transactions/export.csv?chargePointId=ST-201')).text();
    assert.ok(csv.split('\r\n').some((line) => line.startsWith(`${session.id},ST-201,1,1,${tx},CARD-201,ISO14443,`)), csv);
    const stats = (await (await t.api('/api/v1/statistics?groupBy=chargePoint&chargePointId=ST-201&from=2026-05-01T00:00:00Z&to=2026-05-02T00:00:00Z')).json()) as any;
    assert.deepEqual(stats.items, [{ key: 'ST-201', sessions: 1, activeSessions: 0, energyWh: 6_500, durationS: 3600 }]);
    await waitFor(() => receiver.deliveries.find((d) => d.json.event === 'transaction.stopped' && d.json.data.id === session.id), 10_000, 'transaction.stopped');
    const startedHook = receiver.deliveries.find((d) => d.json.event === 'transaction.started' && d.json.data.transactionId === session.id)!;
    assert.equal(startedHook.json.data.chargerTransactionId, tx);
    assert.equal(startedHook.json.data.meterStartWh, 10_000);
  });

  it('CONFORMANCE 64: a seqNo sent twice changes nothing; events out of order, offline and late, still make one correct session', async () => {
    const tx = 'a3f1c2d4-0002-4000-8000-000000000002';
    // Ended first, then its Updated, then Started hours late from the offline queue; the token comes with Started.
    const ended = event(tx, 3, 'Ended', '2026-05-02T12:00:00.000Z', { offline: true, meterValue: [energy(21_000, 'Transaction.End', '2026-05-02T12:00:00.000Z')] });
    assert.deepEqual(await station.call('TransactionEvent', ended), {});
    assert.deepEqual(await station.call('TransactionEvent', event(tx, 1, 'Updated', '2026-05-02T10:30:00.000Z', { offline: true, meterValue: [energy(20_200, 'Sample.Periodic', '2026-05-02T10:30:00.000Z')] })), {});
    assert.deepEqual(await station.call('TransactionEvent', ended), {}, 'a resend is answered the same');
    const late = (await station.call('TransactionEvent', event(tx, 0, 'Started', '2026-05-02T10:00:00.000Z', {
      offline: true,
      idToken: { idToken: 'CARD-201', type: 'ISO14443' },
      meterValue: [energy(20_000, 'Transaction.Begin', '2026-05-02T10:00:00.000Z')],
    }))) as any;
    assert.equal(late.idTokenInfo.status, 'Accepted');
    const list = (await (await t.api('/api/v1/transactions?chargePointId=ST-201')).json()) as any;
    const sessions = list.items.filter((s: any) => s.chargerTransactionId === tx);
    assert.equal(sessions.length, 1);
    const [s] = sessions;
    assert.deepEqual([s.startedAt, s.stoppedAt, s.meterStartWh, s.meterStopWh, s.energyWh, s.idTag], ['2026-05-02T10:00:00.000Z', '2026-05-02T12:00:00.000Z', 20_000, 21_000, 1_000, 'CARD-201']);
    assert.ok(!s.flags.includes('started-event-missing') && !s.flags.includes('no-token'), `flags: ${s.flags}`);
    assert.ok(s.flags.includes('offline'));
    const detail = (await (await t.api(`/api/v1/transactions/${s.id}`)).json()) as any;
    assert.equal(detail.meterValues.filter((m: any) => m.value === '21000').length, 1, 'the resent Ended added nothing');
  });

  it('CONFORMANCE 64: seqNo restarts at 0 for every transaction of the station', async () => {
    const at = '2026-05-03T09:00:00.000Z';
    for (const tx of ['a3f1c2d4-0003-4000-8000-000000000003', 'a3f1c2d4-0004-4000-8000-000000000004']) {
      await station.call('TransactionEvent', event(tx, 0, 'Started', at, { idToken: { idToken: 'CARD-201', type: 'ISO14443' }, meterValue: [energy(1, 'Transaction.Begin', at)] }));
      await station.call('TransactionEvent', event(tx, 1, 'Ended', at, { meterValue: [energy(2, 'Transaction.End', at)] }));
    }
    const list = (await (await t.api('/api/v1/transactions?chargePointId=ST-201&from=2026-05-03T00:00:00Z')).json()) as any;
    assert.equal(list.items.length, 2);
  });

  it('E05 / CONFORMANCE 65: a session whose token is not valid is answered with that status (and its group) and still recorded, flagged', async () => {
    const tx = 'a3f1c2d4-0005-4000-8000-000000000005';
    const answer = (await station.call('TransactionEvent', event(tx, 0, 'Started', '2026-05-04T09:00:00.000Z', { idToken: { idToken: 'BLOCKED-201', type: 'ISO14443' } }))) as any;
    assert.deepEqual(answer.idTokenInfo, { status: 'Blocked', groupIdToken: { idToken: 'GROUP-201', type: 'Central' } });
    const unknown = (await station.call('TransactionEvent', event('a3f1c2d4-0006-4000-8000-000000000006', 0, 'Started', '2026-05-04T09:00:00.000Z', { idToken: { idToken: 'NOBODY-201', type: 'ISO14443' } }))) as any;
    assert.equal(unknown.idTokenInfo.status, 'Invalid');
    const list = (await (await t.api('/api/v1/transactions?chargePointId=ST-201&idTag=BLOCKED-201')).json()) as any;
    assert.equal(list.items.length, 1);
    assert.ok(list.items[0].flags.includes('tag-blocked'));
  });

  it('B02.FR.09 / CONFORMANCE 34: a station whose boot is not accepted gets SecurityError for anything but BootNotification and its money: TransactionEvent and MeterValues answered and kept, the session flagged', async () => {
    const put = await t.api('/api/v1/charge-points/ST-PENDING', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ registrationStatus: 'Pending' }) });
    assert.ok(put.ok);
    const pending = await t.charger('ST-PENDING', { protocols: V201 });
    assert.equal(((await pending.call('BootNotification', boot)) as any).status, 'Pending');
    await assert.rejects(
      pending.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: 1, connectorId: 1 }),
      (e: any) => e.code === 'SecurityError',
    );
    await assert.rejects(pending.call('Heartbeat', {}), (e: any) => e.code === 'SecurityError');
    // A station refused its TransactionEvents retries, then drops them (E13): money is answered and kept.
    const tx = 'a3f1c2d4-0099-4000-8000-000000000099';
    const started = (await pending.call('TransactionEvent', event(tx, 0, 'Started', '2026-05-04T12:00:00.000Z', { idToken: { idToken: 'CARD-201', type: 'ISO14443' }, meterValue: [energy(500, 'Transaction.Begin', '2026-05-04T12:00:00.000Z')] }))) as any;
    assert.equal(started.idTokenInfo.status, 'Accepted');
    assert.deepEqual(await pending.call('MeterValues', { evseId: 0, meterValue: [energy(9000, 'Sample.Periodic', '2026-05-04T12:01:00.000Z')] }), {});
    assert.deepEqual(await pending.call('TransactionEvent', event(tx, 1, 'Ended', '2026-05-04T12:30:00.000Z', { meterValue: [energy(1500, 'Transaction.End', '2026-05-04T12:30:00.000Z')] })), {});
    const list = (await (await t.api('/api/v1/transactions?chargePointId=ST-PENDING')).json()) as any;
    assert.equal(list.items.length, 1);
    assert.deepEqual([list.items[0].chargerTransactionId, list.items[0].energyWh, list.items[0].status], [tx, 1000, 'Completed']);
    assert.ok(list.items[0].flags.includes('before-boot-accepted'), JSON.stringify(list.items[0].flags));
    const hook = await waitFor(() => receiver.deliveries.find((d) => d.json.event === 'transaction.started' && d.json.data.transactionId === list.items[0].id), 10_000, 'transaction.started');
    assert.ok(hook.json.data.flags.includes('before-boot-accepted'), 'the webhook carries the flag');
    // B02: no remote start or stop to it, by any route.
    for (const [action, payload] of [['RequestStartTransaction', { idToken: { idToken: 'CARD-201', type: 'ISO14443' }, remoteStartId: 7, evseId: 1 }], ['RequestStopTransaction', { transactionId: tx }]] as const) {
      const refused = await t.api(`/api/v1/charge-points/ST-PENDING/ocpp/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
      assert.equal(refused.status, 409, action);
      assert.equal(((await refused.json()) as any).error.code, 'charger_not_accepted');
    }
  });

  it('CONFORMANCE 19: a station registered for 1.6 only gets ocpp1.6 though it offers ocpp2.0.1 first', async () => {
    const put = await t.api('/api/v1/charge-points/ST-OLD', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ protocols: ['ocpp1.6'] }) });
    assert.ok(put.ok);
    const old = await t.charger('ST-OLD', { protocols: ['ocpp2.0.1', 'ocpp1.6'] });
    assert.equal(old.protocol, 'ocpp1.6');
  });

  it('Part 4 §4.4: an unknown message type gets MessageTypeNotSupported; a 2.0.1 schema failure is FormatViolation or its kin, never the 1.6 spelling', async () => {
    const { openRawCharger } = await import('../support/raw-charger.js');
    const raw = await openRawCharger(`${t.wsUrl}/ST-RAW`, V201);
    try {
      raw.send('[5,"m1",{}]');
      const [type, id, code] = await raw.next();
      assert.deepEqual([type, id, code], [4, 'm1', 'MessageTypeNotSupported']);
      raw.send(['2', 'm2', 'BootNotification', { reason: 'PowerUp' }].map((v, i) => (i === 0 ? 2 : v)));
      const failure = await raw.next();
      assert.equal(failure[0], 4);
      assert.ok(['FormatViolation', 'OccurrenceConstraintViolation', 'PropertyConstraintViolation', 'TypeConstraintViolation'].includes(failure[2]), failure[2]);
    } finally {
      raw.close();
    }
  });

  it('issue 10: every message a 2.0.1 station may send has a handler (none NotSupported or NotImplemented)', async () => {
    const stationToCsms = V201_ACTIONS.filter((action) => action === 'DataTransfer' || !(CSMS_ACTIONS_V201 as readonly string[]).includes(action));
    assert.ok(stationToCsms.length >= 20);
    for (const action of stationToCsms) {
      // An empty payload: a handled action fails only its schema (or is answered); an unhandled one is NotSupported.
      const outcome = await station.call(action, {}).then(() => 'answered', (e: any) => e.code);
      assert.ok(!['NotSupported', 'NotImplemented'].includes(outcome), `${action}: ${outcome}`);
    }
  });

  it('issue 10: what a station reports that has no meaning here yet is answered and kept, readable through REST', async () => {
    const report = { requestId: 7, generatedAt: new Date().toISOString(), seqNo: 0, tbc: false };
    assert.deepEqual(await station.call('NotifyReport', report), {});
    assert.deepEqual(await station.call('SecurityEventNotification', { type: 'FirmwareUpdated', timestamp: new Date().toISOString() }), {});
    assert.deepEqual(await station.call('SignCertificate', { csr: 'not a real CSR' }), { status: 'Rejected' });
    const page = (await (await t.api('/api/v1/charge-points/ST-201/messages')).json()) as any;
    assert.deepEqual(page.items.slice(0, 3).map((m: any) => m.action), ['SignCertificate', 'SecurityEventNotification', 'NotifyReport']);
    assert.deepEqual(page.items[2].payload, report);
  });

  it('E14: a station that reconnects is asked after its open sessions; one it no longer runs, with nothing queued, is flagged ended-unreported', async () => {
    const id = 'ST-BACK';
    const first = await t.charger(id, { protocols: V201 });
    await first.call('BootNotification', boot);
    const at = new Date().toISOString();
    await first.call('TransactionEvent', event('back-tx-1', 0, 'Started', at, { idToken: { idToken: 'CARD-201', type: 'ISO14443' } }));
    await first.call('TransactionEvent', event('back-tx-2', 0, 'Started', at, { idToken: { idToken: 'CARD-201', type: 'ISO14443' }, evse: { id: 2, connectorId: 1 } }));
    first.terminate();
    const asked: string[] = [];
    await t.charger(id, {
      protocols: V201,
      handlers: {
        GetTransactionStatus: (req: { transactionId: string }) => {
          asked.push(req.transactionId);
          return req.transactionId === 'back-tx-1' ? { ongoingIndicator: false, messagesInQueue: false } : { ongoingIndicator: true, messagesInQueue: false };
        },
      },
    });
    const flagsOf = async (tx: string) =>
      ((await (await t.api(`/api/v1/transactions?chargePointId=${id}`)).json()) as any).items.find((s: any) => s.chargerTransactionId === tx).flags as string[];
    await waitFor(async () => (await flagsOf('back-tx-1')).includes('ended-unreported') || null, 5000, 'the flag');
    assert.deepEqual(asked.sort(), ['back-tx-1', 'back-tx-2']);
    assert.ok(!(await flagsOf('back-tx-2')).includes('ended-unreported'));
  });
});
