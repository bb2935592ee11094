// OCPP-J framing as pure logic: what each kind of text becomes, and what every CALLERROR looks like.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFrame, serializeCall, serializeError, serializeResult } from '../../src/ocpp/rpc/frame.js';

describe('parseFrame', () => {
  it('OCPP-J 1.6 §4.2.3 / CONFORMANCE 1: text that is not JSON is FormationViolation to id "-1" (2.0.1: RpcFrameworkError)', () => {
    assert.deepEqual(parseFrame('hello', 'ocpp1.6'), { kind: 'bad', replyId: '-1', code: 'FormationViolation', description: 'frame is not valid JSON' });
    assert.equal((parseFrame('hello', 'ocpp2.0.1') as { code: string }).code, 'RpcFrameworkError');
  });

  it('CONFORMANCE 2: JSON that is not an array ({}, 42, null) is a bad frame to id "-1"', () => {
    for (const text of ['{}', '42', 'null', '"x"']) {
      const frame = parseFrame(text, 'ocpp1.6');
      assert.equal(frame.kind, 'bad');
      assert.equal((frame as { replyId: string }).replyId, '-1');
    }
  });

  it('OCPP-J 1.6 §4.1.3 / Part 4 §4.4 / CONFORMANCE 3: an unknown message type is ignored in 1.6, MessageTypeNotSupported in 2.0.1', () => {
    assert.equal(parseFrame('[5,"id1",{}]', 'ocpp1.6').kind, 'ignore');
    assert.deepEqual(parseFrame('[5,"id1",{}]', 'ocpp2.0.1'), { kind: 'bad', replyId: 'id1', code: 'MessageTypeNotSupported', description: 'unknown message type' });
  });

  it('OCPP-J 1.6 §4.1.4 / CONFORMANCE 4: a CALL echoes its id only when it is a string of at most 36 characters', () => {
    assert.deepEqual(parseFrame('[2,"a","Heartbeat"]', 'ocpp1.6'), { kind: 'bad', replyId: 'a', code: 'FormationViolation', description: 'a CALL has exactly 4 elements' });
    assert.equal((parseFrame('[2,7,"Heartbeat",{}]', 'ocpp1.6') as { replyId: string }).replyId, '-1');
    assert.equal((parseFrame(JSON.stringify([2, 'x'.repeat(37), 'Heartbeat', {}]), 'ocpp1.6') as { replyId: string }).replyId, '-1');
    assert.equal(parseFrame(JSON.stringify([2, 'x'.repeat(36), 'Heartbeat', {}]), 'ocpp1.6').kind, 'call');
  });

  it('OCPP-J 1.6 §4.2.1: an action that is not a string or a payload that is not an object is FormationViolation', () => {
    assert.equal((parseFrame('[2,"a",5,{}]', 'ocpp1.6') as { code: string }).code, 'FormationViolation');
    assert.equal((parseFrame('[2,"a","Heartbeat",[]]', 'ocpp1.6') as { code: string }).code, 'FormationViolation');
    assert.equal((parseFrame('[2,"a","Heartbeat",null]', 'ocpp2.0.1') as { code: string }).code, 'FormatViolation');
  });

  it('parses CALL, CALLRESULT and CALLERROR, tolerating a CALLERROR without details', () => {
    assert.deepEqual(parseFrame('[2,"a","Heartbeat",{}]', 'ocpp1.6'), { kind: 'call', id: 'a', action: 'Heartbeat', payload: {} });
    assert.deepEqual(parseFrame('[3,"a",{"x":1}]', 'ocpp1.6'), { kind: 'result', id: 'a', payload: { x: 1 } });
    assert.deepEqual(parseFrame('[4,"a","FormationViolation","bad"]', 'ocpp1.6'), {
      kind: 'error', id: 'a', code: 'FormationViolation', description: 'bad', details: {},
    });
    assert.equal(parseFrame('[3,"a"]', 'ocpp1.6').kind, 'ignore');
    assert.equal(parseFrame('[]', 'ocpp1.6').kind, 'ignore');
  });

  it('never throws, whatever the text', () => {
    for (const text of ['', '[', '[2', '[2,{},{},{}]', '[4,1,2,3,4]', '[3,"a",1,2]', '\u0000', '[2,"a","b",{"__proto__":{}}]']) {
      assert.doesNotThrow(() => parseFrame(text, 'ocpp1.6'));
    }
  });
});

describe('serialize', () => {
  it('OCPP-J 1.6 §4.2.3 / CONFORMANCE 8: a CALLERROR has 5 elements, a description ≤ 255 chars and object details', () => {
    const frame = JSON.parse(serializeError('id', 'InternalError', 'x'.repeat(400))) as unknown[];
    assert.equal(frame.length, 5);
    assert.equal((frame[3] as string).length, 255);
    assert.deepEqual(frame[4], {});
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.deepEqual(JSON.parse(serializeError('id', 'GenericError', 'd', cyclic))[4], {});
  });

  it('CALL and CALLRESULT round-trip through parseFrame', () => {
    assert.deepEqual(parseFrame(serializeCall('i', 'Heartbeat', {}), 'ocpp1.6'), { kind: 'call', id: 'i', action: 'Heartbeat', payload: {} });
    assert.deepEqual(parseFrame(serializeResult('i', { a: 'b' }), 'ocpp1.6'), { kind: 'result', id: 'i', payload: { a: 'b' } });
  });
});
