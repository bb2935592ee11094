// Session arithmetic (issue 4, "energy from meterStop − meterStart, with the meter values as a fallback").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ENERGY_FROM_METER_VALUES,
  averagePowerW,
  durationSeconds,
  energyFromSamples,
  isPlausibleEnergy,
  normalizeSample,
  sessionEnergy,
  settleStopEnergy,
  type Sample,
} from '../../src/domain/transactions/energy.js';

const REG = 'Energy.Active.Import.Register';
const at = (minute: number) => `2026-01-02T03:${String(minute).padStart(2, '0')}:00.000Z`;
const reg = (minute: number, value: string, unit: string | null = 'Wh', more: Partial<Sample> = {}): Sample => ({ timestamp: at(minute), measurand: REG, value, unit, ...more });
const session = (meterStopWh: number | null, samples: Sample[] = []) => ({ meterStartWh: 1000, meterStopWh, startedAt: at(0), stoppedAt: at(30), samples });

describe('energy arithmetic', () => {
  it('OCPP 1.6 §7.31: kWh (and kW, kvarh) become their base unit without float noise; Wh and non-numbers pass as they are', () => {
    assert.deepEqual(normalizeSample('1.001', 'kWh'), { value: 1001, unit: 'Wh' });
    assert.deepEqual(normalizeSample('7.4', 'kW'), { value: 7400, unit: 'W' });
    assert.deepEqual(normalizeSample('2', 'kvarh'), { value: 2000, unit: 'varh' });
    assert.deepEqual(normalizeSample('1500', 'Wh'), { value: 1500, unit: 'Wh' });
    assert.deepEqual(normalizeSample('230.1', 'V'), { value: 230.1, unit: 'V' });
    assert.equal(normalizeSample('', 'Wh'), null);
    assert.equal(normalizeSample('n/a', 'Wh'), null);
  });

  it('duration in seconds: null while active or when the stop precedes the start; average power from energy and duration', () => {
    assert.equal(durationSeconds(at(0), at(30)), 1800);
    assert.equal(durationSeconds(at(0), null), null);
    assert.equal(durationSeconds(at(30), at(0)), null);
    assert.equal(averagePowerW(3700, 1800), 7400);
    assert.equal(averagePowerW(null, 1800), null);
    assert.equal(averagePowerW(1000, 0), null, 'a zero-length session has no average power');
  });

  it('meterStop − meterStart when plausible, not flagged', () => {
    assert.deepEqual(sessionEnergy(session(4700)), { energyWh: 3700, flags: [] });
    assert.deepEqual(sessionEnergy(session(1000)), { energyWh: 0, flags: [] }, 'zero energy is plausible');
  });

  it('meter went backwards: the register samples decide (last − first), flagged energy-from-meter-values', () => {
    const samples = [reg(0, '1000'), reg(10, '2200'), reg(30, '4700')];
    assert.deepEqual(sessionEnergy(session(0, samples)), { energyWh: 3700, flags: [ENERGY_FROM_METER_VALUES] });
  });

  it('absurd meterStop (more than 1 MW on average, judged over at least an hour) falls back too', () => {
    assert.equal(isPlausibleEnergy(1_500_000, 3600), false);
    assert.equal(isPlausibleEnergy(1_500_000, 7200), true, '750 kW for two hours is fast but possible');
    assert.equal(isPlausibleEnergy(50_000, 0), true, 'a charger with a wrong clock (zero or unknown duration) keeps a believable reading');
    assert.equal(isPlausibleEnergy(50_000, null), true);
    assert.equal(isPlausibleEnergy(2_000_000, null), false);
    assert.deepEqual(sessionEnergy(session(999_999_999, [reg(0, '1000'), reg(30, '4700')])), { energyWh: 3700, flags: [ENERGY_FROM_METER_VALUES] });
  });

  it('kWh samples and mixed units are compared in Wh', () => {
    assert.equal(energyFromSamples([reg(0, '1', 'kWh'), reg(30, '4.7', 'kWh')]), 3700);
    assert.equal(energyFromSamples([reg(0, '1000', 'Wh'), reg(30, '4.7', 'kWh')]), 3700);
    assert.equal(energyFromSamples([reg(0, '1000', null), reg(30, '4700', null)]), 3700, 'OCPP 1.6 §7.42: no unit means Wh');
  });

  it('samples are taken in time order, not arrival order', () => {
    assert.equal(energyFromSamples([reg(30, '4700'), reg(0, '1000'), reg(10, '2000')]), 3700);
  });

  it('a backwards register, no samples or a single sample give no energy (and no flag)', () => {
    assert.equal(energyFromSamples([reg(0, '4700'), reg(30, '1000')]), null);
    assert.equal(energyFromSamples([]), null);
    assert.equal(energyFromSamples([reg(0, '1000')]), null);
    assert.deepEqual(sessionEnergy(session(0)), { energyWh: null, flags: [] });
    assert.deepEqual(sessionEnergy(session(0, [reg(5, '1200')])), { energyWh: null, flags: [] });
    assert.deepEqual(sessionEnergy(session(null, [reg(5, '1200')])), { energyWh: null, flags: [] }, 'meterStop missing, one sample');
  });

  it('only the whole-meter import register counts: interval measurands, other registers and per-phase values are ignored', () => {
    const samples = [
      reg(0, '1000'),
      { timestamp: at(10), measurand: 'Energy.Active.Import.Interval', value: '500', unit: 'Wh' },
      { timestamp: at(20), measurand: 'Energy.Active.Export.Register', value: '99999', unit: 'Wh' },
      reg(25, '99999', 'Wh', { phase: 'L1' }),
      reg(30, '4700'),
    ];
    assert.equal(energyFromSamples(samples), 3700);
    assert.equal(energyFromSamples([{ timestamp: at(0), measurand: 'Energy.Active.Import.Interval', value: '500', unit: 'Wh' }, { timestamp: at(30), measurand: 'Energy.Active.Import.Interval', value: '600', unit: 'Wh' }]), null);
  });

  it('a stop settles its energy: the meters when believable, else null until the samples are given, then the samples or a flag', () => {
    const stop = (meterStopWh: number) => ({ meterStartWh: 1000, meterStopWh, startedAt: at(0), stoppedAt: at(30) });
    assert.deepEqual(settleStopEnergy(stop(4700), null), { energyWh: 3700, flags: [] }, 'no samples needed');
    assert.equal(settleStopEnergy(stop(900), null), null, 'backwards: the samples must decide');
    assert.equal(settleStopEnergy(stop(999_999_999), null), null, 'absurd: the samples must decide');
    const samples = [reg(0, '1000'), reg(30, '2500')];
    assert.deepEqual(settleStopEnergy(stop(900), samples), { energyWh: 1500, flags: ['meter-backwards', ENERGY_FROM_METER_VALUES] });
    assert.deepEqual(settleStopEnergy(stop(900), []), { energyWh: null, flags: ['meter-backwards'] });
    assert.deepEqual(settleStopEnergy(stop(999_999_999), samples), { energyWh: 1500, flags: [ENERGY_FROM_METER_VALUES] });
    assert.deepEqual(settleStopEnergy(stop(999_999_999), []), { energyWh: null, flags: ['meter-implausible'] });
  });
});
