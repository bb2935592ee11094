// Turns a session's raw meter values into aligned time series for the chart: energy in Wh, power in W.
import type { MeterValue } from '../api/types';

export const ENERGY = 'Energy.Active.Import.Register';
export const POWER = 'Power.Active.Import';

/** Value in base units: the server's normalized value when it has one, else ours from the unit. */
function baseValue(mv: MeterValue): number | null {
  if (typeof mv.normalizedValue === 'number') return mv.normalizedValue;
  const value = Number(mv.value);
  if (!Number.isFinite(value)) return null;
  return mv.unit === 'kWh' || mv.unit === 'kW' ? value * 1000 : value;
}

/**
 * Per timestamp, one reading per measurand: the phase-less total when the charger sent one, otherwise
 * the sum of its phases (some chargers only report L1/L2/L3).
 */
function readingsOf(values: MeterValue[], measurand: string): Map<number, number> {
  const totals = new Map<number, number>();
  const phaseSums = new Map<number, number>();
  for (const mv of values) {
    if ((mv.measurand || ENERGY) !== measurand) continue; // OCPP's default measurand is the energy register
    if (mv.location && mv.location !== 'Outlet') continue;
    const value = baseValue(mv);
    if (value === null) continue;
    const t = new Date(mv.timestamp).getTime() / 1000;
    if (!mv.phase) totals.set(t, value);
    // L1, L2, L3 (or L1-N…) add up to the total; neutral and line-to-line readings do not.
    else if (mv.phase !== 'N' && !/^L\d-L\d$/.test(mv.phase)) phaseSums.set(t, (phaseSums.get(t) ?? 0) + value);
  }
  for (const [t, sum] of phaseSums) if (!totals.has(t)) totals.set(t, sum);
  return totals;
}

export interface MeterSeries {
  times: number[];
  energyWh: (number | null)[];
  powerW: (number | null)[];
}

/**
 * Energy is drawn as what the session delivered (register minus the session's start reading): the
 * absolute register of a charger with years of use would flatten the curve into a line.
 */
export function meterSeries(values: MeterValue[], meterStartWh = 0): MeterSeries {
  const energy = readingsOf(values, ENERGY);
  for (const [t, wh] of energy) energy.set(t, wh - meterStartWh);
  const power = readingsOf(values, POWER);
  const times = [...new Set([...energy.keys(), ...power.keys()])].sort((a, b) => a - b);
  return {
    times,
    energyWh: times.map((t) => energy.get(t) ?? null),
    powerW: times.map((t) => power.get(t) ?? null),
  };
}
