// A password sent to a charger is kept nowhere: the command history and the frame log see [redacted] (CONFORMANCE 25).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { frameWithoutSecrets, withoutSecrets } from '../../src/ocpp/secrets.js';

describe('secrets in calls to chargers', () => {
  it('1.6 ChangeConfiguration AuthorizationKey (any case) and 2.x SetVariables BasicAuthPassword are redacted; other calls are kept as they are', () => {
    assert.deepEqual(withoutSecrets('ChangeConfiguration', { key: 'authorizationKEY', value: 'secret-0001' }), { key: 'authorizationKEY', value: '[redacted]' });
    const other = { key: 'HeartbeatInterval', value: '60' };
    assert.equal(withoutSecrets('ChangeConfiguration', other), other);
    const set = {
      setVariableData: [
        { component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, attributeValue: 'secret-0002' },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '60' },
      ],
    };
    assert.deepEqual((withoutSecrets('SetVariables', set) as typeof set).setVariableData.map((d) => d.attributeValue), ['[redacted]', '60']);
    assert.equal(set.setVariableData[0].attributeValue, 'secret-0002', 'the call itself is untouched');
  });
  it('frames in the debug log: the CALL with its secret replaced; anything else naming one not shown', () => {
    assert.equal(frameWithoutSecrets('[2,"m1","ChangeConfiguration",{"key":"AuthorizationKey","value":"secret-0003"}]'), '[2,"m1","ChangeConfiguration",{"key":"AuthorizationKey","value":"[redacted]"}]');
    assert.doesNotMatch(frameWithoutSecrets('[3,"m1",{"configurationKey":[{"key":"AuthorizationKey","value":"secret-0004"}]}]'), /secret-0004/);
    assert.equal(frameWithoutSecrets('[2,"m2","Heartbeat",{}]'), '[2,"m2","Heartbeat",{}]');
  });
});
