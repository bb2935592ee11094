import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flattenMeterValues } from '../../src/ocpp/v16/meter-values.js';

const now = new Date('2026-06-01T12:00:00.000Z');

describe('flattenMeterValues (OCPP 1.6 §7.42 SampledValue defaults)', () => {
  it('an omitted measurand, unit and context mean an energy register in Wh, sampled periodically', () => {
    const [sample] = flattenMeterValues([{ timestamp: '2026-06-01T11:00:00Z', sampledValue: [{ value: '1200' }] }], now);
    assert.deepEqual(sample, {
      timestamp: '2026-06-01T11:00:00.000Z',
      value: '1200',
      measurand: 'Energy.Active.Import.Register',
      unit: 'Wh',
      phase: null,
      context: 'Sample.Periodic',
      location: null,
      format: null,
    });
  });
  it('every sampled value of every meter value becomes one sample, explicit fields kept', () => {
    const samples = flattenMeterValues(
      [
        { timestamp: '2026-06-01T11:00:00Z', sampledValue: [{ value: '1', measurand: 'Power.Active.Import', unit: 'W', phase: 'L1' }, { value: '2' }] },
        { timestamp: '2026-06-01T11:01:00Z', sampledValue: [{ value: '3', measurand: 'Voltage' }] },
      ],
      now,
    );
    assert.equal(samples.length, 3);
    assert.equal(samples[0].unit, 'W');
    assert.equal(samples[0].phase, 'L1');
    assert.equal(samples[2].unit, null, 'a voltage without a unit is not given Wh');
  });
});
