// CONFORMANCE 1–8 in their OCPP 2.0.1 form (OCPP-J 2.0.1, Part 4), against the whole server on a real socket: a
// raw station that negotiated ocpp2.0.1 and booted sends what no well-behaved library would, and reads the exact
// frames that come back; then the server calls it and gets CALLERRORs in every spelling. Runs on SQLite, and on
// PostgreSQL with DATABASE_URL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { assertStillServed, openRawCharger, type RawCharger } from '../support/raw-charger.js';

/** Part 4 §4.3 Table 7: the codes a 2.0.1 CALLERROR may carry (no 1.6 spelling among them). */
const V201_CODES = [
  'FormatViolation', 'GenericError', 'InternalError', 'MessageTypeNotSupported', 'NotImplemented', 'NotSupported',
  'OccurrenceConstraintViolation', 'PropertyConstraintViolation', 'ProtocolError', 'RpcFrameworkError', 'SecurityError',
  'TypeConstraintViolation',
];

/** CONFORMANCE 8: five elements, a code of the version, a short description with no stack, details an object. */
function assertCallError(frame: unknown, id: string, codes: string[]): string {
  assert.ok(Array.isArray(frame), `not a frame: ${JSON.stringify(frame)}`);
  assert.equal(frame.length, 5, JSON.stringify(frame));
  const [type, echoed, code, description, details] = frame as [number, string, string, string, unknown];
  assert.deepEqual([type, echoed], [4, id]);
  assert.ok(codes.includes(code), `code ${code} is not one of ${codes.join(', ')}`);
  assert.ok(V201_CODES.includes(code), `${code} is not a 2.0.1 error code`);
  assert.equal(typeof description, 'string');
  assert.ok(description.length <= 255, 'description of at most 255 characters');
  assert.doesNotMatch(description, /\bat .*\.(ts|js)|node_modules|Error:/, 'no stack trace');
  assert.ok(details !== null && typeof details === 'object' && !Array.isArray(details), 'errorDetails is an object');
  return code;
}

describe('OCPP-J 2.0.1 framing against the whole server', () => {
  let t: TestServer;
  let raw: RawCharger;
  before(async () => {
    t = await startTestServer();
    raw = await openRawCharger(`${t.wsUrl}/ST-FRAME`, ['ocpp2.0.1']);
    assert.equal(raw.socket.protocol, 'ocpp2.0.1');
    raw.send([2, 'boot', 'BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Voltgate', model: 'Frame-201' } }]);
    const booted = await raw.next();
    assert.deepEqual([booted[0], booted[1], booted[2].status], [3, 'boot', 'Accepted']);
  });
  after(async () => {
    raw.close();
    await t.close();
  });

  const stillServed = () => assertStillServed(raw);

  it('Part 4 §4.2.3 / CONFORMANCE 1: text that is not JSON gets CALLERROR "-1" RpcFrameworkError or FormatViolation, the text not echoed, and the socket stays open', async () => {
    raw.send('hello <script>');
    const error = await raw.next();
    assertCallError(error, '-1', ['RpcFrameworkError', 'FormatViolation']);
    assert.doesNotMatch(JSON.stringify(error), /hello|script/);
    await stillServed();
  });

  it('CONFORMANCE 2: JSON that is not an array ({}, 42, null) gets CALLERROR "-1" as in 1', async () => {
    for (const text of ['{}', '42', 'null']) {
      raw.send(text);
      assertCallError(await raw.next(), '-1', ['RpcFrameworkError', 'FormatViolation']);
    }
    await stillServed();
  });

  it('Part 4 §4.4 / CONFORMANCE 3: an unknown message type gets MessageTypeNotSupported with its id', async () => {
    raw.send([5, 'id1', {}]);
    assertCallError(await raw.next(), 'id1', ['MessageTypeNotSupported']);
    await stillServed();
  });

  it('Part 4 §4.1.4 / CONFORMANCE 4: a bad element count, a non-string id or an id over 36 characters gets a CALLERROR, the id echoed only when readable', async () => {
    raw.send([2, 'short', 'Heartbeat']);
    assertCallError(await raw.next(), 'short', ['RpcFrameworkError', 'FormatViolation']);
    raw.send([2, 17, 'Heartbeat', {}]);
    assertCallError(await raw.next(), '-1', ['RpcFrameworkError', 'FormatViolation']);
    raw.send([2, 'x'.repeat(37), 'Heartbeat', {}]);
    assertCallError(await raw.next(), '-1', ['RpcFrameworkError', 'FormatViolation']);
    raw.send([2, 'p', 'Heartbeat', 'not an object']);
    assertCallError(await raw.next(), 'p', ['RpcFrameworkError', 'FormatViolation']);
    // 36 characters is a valid id (a UUID), echoed as is.
    const uuid = crypto.randomUUID();
    raw.send([2, uuid, 'Heartbeat', {}]);
    assert.deepEqual((await raw.next()).slice(0, 2), [3, uuid]);
  });

  it('Part 4 Table 7 / CONFORMANCE 5: unknown and wrongly cased actions get NotImplemented; an action only the CSMS may send gets NotSupported', async () => {
    raw.send([2, 'u1', 'FooBar', {}]);
    assertCallError(await raw.next(), 'u1', ['NotImplemented']);
    raw.send([2, 'u2', 'bootnotification', { reason: 'PowerUp', chargingStation: { vendorName: 'v', model: 'm' } }]);
    assertCallError(await raw.next(), 'u2', ['NotImplemented']);
    // A 2.0.1 action, but one a CSMS sends to a station: known, and not served here.
    raw.send([2, 'u3', 'RequestStartTransaction', { idToken: { idToken: 'T', type: 'Central' }, remoteStartId: 1 }]);
    assertCallError(await raw.next(), 'u3', ['NotSupported']);
    await stillServed();
  });

  it('Part 4 Table 7 / CONFORMANCE 6: a missing field, a wrong type, a value outside its enum and too long a string each get a 2.0.1 code, never the 1.6 spelling', async () => {
    const status = { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: 1, connectorId: 1 };
    const { connectorStatus: _c, ...missing } = status;
    raw.send([2, 's1', 'StatusNotification', missing]);
    assertCallError(await raw.next(), 's1', ['OccurrenceConstraintViolation']);
    raw.send([2, 's2', 'StatusNotification', { ...status, evseId: '1' }]);
    assertCallError(await raw.next(), 's2', ['TypeConstraintViolation']);
    raw.send([2, 's3', 'StatusNotification', { ...status, connectorStatus: 'Sleepy' }]);
    assertCallError(await raw.next(), 's3', ['PropertyConstraintViolation']);
    raw.send([2, 's4', 'Authorize', { idToken: { idToken: 'X'.repeat(37), type: 'ISO14443' } }]);
    assertCallError(await raw.next(), 's4', ['PropertyConstraintViolation']);
    // The 2.0.1 schemas allow no field they do not declare: the payload is not of its message (FormatViolation).
    raw.send([2, 's6', 'Heartbeat', { extra: 1 }]);
    assertCallError(await raw.next(), 's6', ['FormatViolation']);
    // A well-formed one still goes through.
    raw.send([2, 's5', 'StatusNotification', status]);
    assert.deepEqual(await raw.next(), [3, 's5', {}]);
  });

  it('lbbrhzn/ocpp#899 / CONFORMANCE 7: a CALLERROR from the station in either spelling, or with an unknown code, fails only that command (502 naming it), and the station is still served', async () => {
    const answers = ['FormationViolation', 'FormatViolation', 'OccurenceConstraintViolation', 'OccurrenceConstraintViolation', 'NoSuchCode'];
    for (const code of answers) {
      const pending = t.api('/api/v1/charge-points/ST-FRAME/ocpp/ClearCache', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const call = await raw.next();
      assert.deepEqual([call[0], call[2]], [2, 'ClearCache']);
      raw.send([4, call[1], code, 'station says no', {}]);
      const response = await pending;
      assert.equal(response.status, 502, code);
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'charger_error');
      assert.match(body.error.message, new RegExp(code));
    }
    // A CALLERROR with broken details or no details at all is a failed call too, not a crash.
    const pending = t.api('/api/v1/charge-points/ST-FRAME/ocpp/ClearCache', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const call = await raw.next();
    raw.send([4, call[1], 'InternalError', 'no details']);
    assert.ok([502, 504].includes((await pending).status));
    await stillServed();
    const detail = (await (await t.api('/api/v1/charge-points/ST-FRAME')).json()) as { connected: boolean; protocol: string };
    assert.deepEqual([detail.connected, detail.protocol], [true, 'ocpp2.0.1']);
  });
});
