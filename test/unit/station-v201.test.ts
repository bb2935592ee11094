// The simulated OCPP 2.0.1 station: a session is TransactionEvent Started (seqNo 0), Updated (1..N), Ended (N+1)
// under one station-made transactionId, every message valid against the 2.0.1 schemas; a TransactionEvent is
// resent unchanged after a CALLERROR; remote start and stop and the command answers work as a CSMS expects.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { WebSocketServer, type WebSocket } from 'ws';
import { createValidators } from '../../src/ocpp/schemas/validators.js';
import { Ledger } from '../../src/simulator/ledger.js';
import { loadProfile } from '../../src/simulator/profile.js';
import { SimulatedStationV201 } from '../../src/simulator/station-v201.js';
import { stationCommandHandlers } from '../../src/simulator/station-v201-commands.js';

const v201 = createValidators('ocpp2.0.1');
type Outcome = { result: unknown } | { error: string };
type Answer = (action: string, payload: any, attempt: number) => Outcome | Promise<Outcome>;

/** A CSMS that answers by the given rule, remembers every CALL it got, and can call the station. */
async function fakeCsms(answer: Answer) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (offered) => (offered.has('ocpp2.0.1') ? 'ocpp2.0.1' : false) });
  await once(server, 'listening');
  const calls: Array<{ action: string; payload: any }> = [];
  const waiting = new Map<string, (payload: unknown) => void>();
  let station: WebSocket | null = null;
  server.on('connection', (socket) => {
    station = socket;
    socket.on('message', async (data) => {
      const frame = JSON.parse(String(data));
      if (frame[0] !== 2) return waiting.get(frame[1])?.(frame[0] === 3 ? frame[2] : { error: frame[2] });
      const [, id, action, payload] = frame;
      calls.push({ action, payload });
      const outcome = await answer(action, payload, calls.filter((c) => c.action === action).length);
      socket.send(JSON.stringify('error' in outcome ? [4, id, outcome.error, 'storage unavailable', {}] : [3, id, outcome.result]));
    });
  });
  const { port } = server.address() as { port: number };
  /** Sends a CALL to the station and resolves with its answer. */
  const callStation = (action: string, payload: unknown) => {
    const id = randomUUID();
    const answered = new Promise<any>((resolve) => waiting.set(id, resolve));
    station!.send(JSON.stringify([2, id, action, payload]));
    return answered;
  };
  const close = () => {
    for (const client of server.clients) client.terminate(); // close() alone waits for every client to leave
    return new Promise((r) => server.close(r));
  };
  return { url: `ws://127.0.0.1:${port}/ocpp`, calls, callStation, close };
}

const profile = { ...loadProfile('generic'), connectors: 2, meterValuesPerSession: 3 };
let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function station(url: string, extra: Partial<ConstructorParameters<typeof SimulatedStationV201>[0]> = {}) {
  const s = new SimulatedStationV201({
    url, id: 'CS-1', profile, idTags: ['TAG-1'], sessions: 1, meterIntervalMs: 0, idleMs: 0,
    retriesTransactionMessages: true, backoff: { initialMs: 5, maxMs: 20 }, ...extra,
  });
  cleanup.push(() => s.close());
  return s;
}

const accepted = { idTokenInfo: { status: 'Accepted' } };
const normal = (action: string): { result: unknown } =>
  action === 'BootNotification' ? { result: { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 } }
  : action === 'Authorize' ? { result: accepted }
  : action === 'TransactionEvent' ? { result: accepted } : { result: {} };

const events = (calls: Array<{ action: string; payload: any }>) => calls.filter((c) => c.action === 'TransactionEvent').map((c) => c.payload);

describe('SimulatedStationV201', () => {
  it('boots, reports each EVSE and runs Started seqNo 0, Updated 1..N, Ended N+1 under one transactionId', async () => {
    const csms = await fakeCsms((action) => normal(action));
    cleanup.push(csms.close);
    const ledger = new Ledger();
    const s = station(csms.url, { onAnswered: (id, action, payload, answer) => ledger.record(id, action, payload, answer) });
    await s.run();
    for (const { action, payload } of csms.calls) assert.equal(v201.validateRequest(action, payload), null, `${action} ${JSON.stringify(payload)}`);
    assert.deepEqual(csms.calls.slice(0, 4).map((c) => c.action), ['BootNotification', 'StatusNotification', 'StatusNotification', 'Authorize']);
    assert.equal(csms.calls[0].payload.reason, 'PowerUp');
    assert.deepEqual(csms.calls.slice(1, 3).map((c) => [c.payload.evseId, c.payload.connectorId, c.payload.connectorStatus]), [[1, 1, 'Available'], [2, 1, 'Available']]);
    assert.deepEqual(csms.calls[3].payload, { idToken: { idToken: 'TAG-1', type: 'ISO14443' } });

    const sent = events(csms.calls);
    const n = profile.meterValuesPerSession;
    assert.deepEqual(sent.map((e) => e.eventType), ['Started', ...Array(n).fill('Updated'), 'Ended']);
    assert.deepEqual(sent.map((e) => e.seqNo), Array.from({ length: n + 2 }, (_, i) => i));
    const transactionId = sent[0].transactionInfo.transactionId;
    assert.ok(transactionId.length > 0 && transactionId.length <= 36);
    assert.ok(sent.every((e) => e.transactionInfo.transactionId === transactionId));
    assert.deepEqual(sent[0].evse, { id: 1, connectorId: 1 });
    assert.equal(sent[0].triggerReason, 'Authorized');
    assert.equal(sent[0].transactionInfo.chargingState, 'Charging');
    assert.deepEqual(sent[0].idToken, { idToken: 'TAG-1', type: 'ISO14443' });
    assert.equal(sent[0].meterValue[0].sampledValue[0].context, 'Transaction.Begin');
    assert.ok(sent.slice(1, -1).every((e) => e.triggerReason === 'MeterValuePeriodic' && e.meterValue[0].sampledValue.length === 2));
    const ended = sent.at(-1);
    assert.equal(ended.triggerReason, 'EVCommunicationLost');
    assert.equal(ended.transactionInfo.stoppedReason, 'EVDisconnected');
    assert.equal(ended.meterValue[0].sampledValue[0].context, 'Transaction.End');
    // The energy register is a number (not 1.6's string) and never goes back.
    const register = sent.map((e) => e.meterValue[0].sampledValue[0].value);
    assert.ok(register.every((v, i) => typeof v === 'number' && (i === 0 || v >= register[i - 1])));
    assert.equal(s.sessionsCompleted, 1);
    // The ledger keeps the session under the station's id: its start and stop registers, every sample.
    assert.deepEqual(ledger.size, { starts: 1, stops: 1, samples: 1 + 2 * n + 1 });
    assert.equal(ledger.starts[0].chargerTransactionId, transactionId);
    assert.equal(ledger.starts[0].meterStart, register[0]);
    assert.equal(ledger.stops[0].meterStop, register.at(-1));
  });

  it('resends a TransactionEvent unchanged (same seqNo, same timestamp) after an InternalError', async () => {
    // Each TransactionEvent fails once before it is acknowledged.
    const csms = await fakeCsms((action, _p, attempt) => (action === 'TransactionEvent' && attempt % 2 === 1 ? { error: 'InternalError' } : normal(action)));
    cleanup.push(csms.close);
    const outcomes: string[] = [];
    await station(csms.url, { onCall: (action, _ms, ok, failure) => outcomes.push(`${action}:${ok ? 'ok' : failure?.code}`) }).run();
    const sent = events(csms.calls);
    assert.equal(sent.length, 2 * (profile.meterValuesPerSession + 2));
    for (let i = 0; i < sent.length; i += 2) assert.equal(JSON.stringify(sent[i + 1]), JSON.stringify(sent[i]), `event ${i / 2} changed between resends`);
    assert.deepEqual(sent.filter((_, i) => i % 2 === 0).map((e) => e.seqNo), Array.from({ length: sent.length / 2 }, (_, i) => i));
    assert.ok(outcomes.includes('TransactionEvent:InternalError'));
  });

  it('ends a session at once when the CSMS does not accept the token in its answer to Started', async () => {
    const csms = await fakeCsms((action, payload) =>
      action === 'TransactionEvent' && payload.eventType === 'Started' ? { result: { idTokenInfo: { status: 'Blocked' } } } : normal(action),
    );
    cleanup.push(csms.close);
    await station(csms.url).run();
    const sent = events(csms.calls);
    assert.deepEqual(sent.map((e) => [e.eventType, e.seqNo]), [['Started', 0], ['Ended', 1]]);
    assert.equal(sent[1].triggerReason, 'Deauthorized');
    assert.equal(sent[1].transactionInfo.stoppedReason, 'DeAuthorized');
  });

  it('starts with the RequestStartTransaction token on its EVSE, and stops on RequestStopTransaction', async () => {
    const answers: unknown[] = [];
    let statuses = 0;
    const csms = await fakeCsms(async (action, payload) => {
      // Before the boot's last status report is answered, so the station's first session is this one.
      if (action === 'StatusNotification' && ++statuses === 2) {
        answers.push(await csms.callStation('RequestStartTransaction', { idToken: { idToken: 'APP-7', type: 'Central' }, evseId: 2, remoteStartId: 42 }));
      }
      if (action === 'TransactionEvent' && payload.eventType === 'Started') {
        answers.push(await csms.callStation('RequestStopTransaction', { transactionId: 'not-a-session' }));
        answers.push(await csms.callStation('RequestStopTransaction', { transactionId: payload.transactionInfo.transactionId }));
      }
      return normal(action);
    });
    cleanup.push(csms.close);
    await station(csms.url).run();
    assert.deepEqual(answers, [{ status: 'Accepted' }, { status: 'Rejected' }, { status: 'Accepted' }]);
    assert.equal(csms.calls.filter((c) => c.action === 'Authorize').length, 0);
    const [started, ended] = events(csms.calls);
    assert.equal(started.triggerReason, 'RemoteStart');
    assert.equal(started.transactionInfo.remoteStartId, 42);
    assert.deepEqual(started.evse, { id: 2, connectorId: 1 });
    assert.deepEqual(started.idToken, { idToken: 'APP-7', type: 'Central' });
    assert.deepEqual([ended.eventType, ended.seqNo, ended.triggerReason, ended.transactionInfo.stoppedReason], ['Ended', 1, 'RemoteStop', 'Remote']);
  });

  it('answers every CSMS command with a payload valid against the 2.0.1 response schema', async () => {
    const active = new Map([[1, { transactionId: 'tx-1', stopRequested: false }]]);
    const handlers = stationCommandHandlers({ evses: 1, remoteStarts: [], active, unacknowledged: new Set(['tx-1']), trigger: (m) => m === 'Heartbeat' });
    const component = { name: 'LocalAuthListCtrlr' };
    const requests: Record<string, unknown> = {
      RequestStartTransaction: { idToken: { idToken: 'A', type: 'ISO14443' }, remoteStartId: 1 },
      RequestStopTransaction: { transactionId: 'tx-1' },
      Reset: { type: 'Immediate' },
      UnlockConnector: { evseId: 1, connectorId: 1 },
      ChangeAvailability: { operationalStatus: 'Inoperative' },
      TriggerMessage: { requestedMessage: 'Heartbeat' },
      GetVariables: { getVariableData: [{ component, variable: { name: 'ItemsPerMessage' } }, { component, variable: { name: 'Entries' } }, { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeType: 'Actual' }] },
      SetVariables: { setVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '300' }] },
      GetBaseReport: { requestId: 1, reportBase: 'FullInventory' },
      GetLocalListVersion: {},
      SendLocalList: { versionNumber: 1, updateType: 'Full' },
      ClearCache: {},
      GetTransactionStatus: { transactionId: 'tx-1' },
      DataTransfer: { vendorId: 'Acme' },
    };
    const answers: Record<string, any> = {};
    for (const [action, request] of Object.entries(requests)) {
      assert.equal(v201.validateRequest(action, request), null, `request ${action}`);
      answers[action] = await (handlers as Record<string, (p: unknown) => Promise<unknown>>)[action](request);
      assert.equal(v201.validateResponse(action, answers[action]), null, `${action} answered ${JSON.stringify(answers[action])}`);
    }
    assert.deepEqual(answers.GetVariables.getVariableResult.map((r: any) => [r.attributeStatus, r.attributeValue]), [['Accepted', '100'], ['Accepted', '1000'], ['UnknownVariable', undefined]]);
    assert.deepEqual(answers.GetTransactionStatus, { messagesInQueue: true, ongoingIndicator: true });
    assert.deepEqual(answers.GetLocalListVersion, { versionNumber: 0 });
    assert.equal(answers.TriggerMessage.status, 'Accepted');
    assert.equal((await handlers.TriggerMessage!({ requestedMessage: 'LogStatusNotification' })).status, 'NotImplemented');
    assert.equal((await handlers.RequestStartTransaction!({ idToken: { idToken: 'A', type: 'ISO14443' }, remoteStartId: 2, evseId: 3 })).status, 'Rejected');
  });
});
