// Session arithmetic, pure: energy from the meter at start and stop, or from the sampled energy register
// when the stop value cannot be right; duration and average power; meter values in base units (Wh, W).

/** A sampled value as stored (domain/ports.ts MeterValueRecord has these fields). */
export interface Sample {
  timestamp: string;
  measurand: string;
  value: string;
  unit: string | null;
  phase?: string | null;
}

/** Above this average power a session's meter reading is not believable (the largest DC chargers give ~400 kW). */
export const MAX_PLAUSIBLE_POWER_W = 1_000_000;

/** The flag of a session whose energy came from its meter values. */
export const ENERGY_FROM_METER_VALUES = 'energy-from-meter-values';

const REGISTER = 'Energy.Active.Import.Register';
// OCPP 1.6 §7.31 UnitOfMeasure: the kilo units and their base.
const KILO: Readonly<Record<string, string>> = { kWh: 'Wh', kW: 'W', kvarh: 'varh', kvar: 'var', kVA: 'VA' };

/** A sampled value in its base unit (kWh → Wh, kW → W, …); null when the value is not a number. */
export function normalizeSample(value: string, unit: string | null): { value: number; unit: string | null } | null {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) return null;
  if (unit !== null && unit in KILO) return { value: round(number * 1000), unit: KILO[unit] };
  return { value: number, unit };
}

/** Milliseconds are enough: kWh with up to 3 decimals become whole Wh without float noise (1.001 kWh → 1001). */
function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Seconds between start and stop; null while active or when the stop precedes the start. */
export function durationSeconds(startedAt: string, stoppedAt: string | null): number | null {
  if (stoppedAt === null) return null;
  const ms = Date.parse(stoppedAt) - Date.parse(startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : null;
}

/** Energy ÷ duration, in W (whole watts); null without both or for a zero duration. */
export function averagePowerW(energyWh: number | null, durationS: number | null): number | null {
  if (energyWh === null || durationS === null || durationS <= 0) return null;
  return Math.round((energyWh * 3600) / durationS);
}

/**
 * Energy from the Energy.Active.Import.Register samples: last − first, in Wh. Only the whole-meter register
 * counts (no phase, or the sum the charger reports without one); interval measurands are not a register.
 * Null when fewer than two usable samples exist or the register went backwards.
 */
export function energyFromSamples(samples: readonly Sample[]): number | null {
  const readings = samples
    .filter((s) => s.measurand === REGISTER && !s.phase)
    .map((s) => ({ at: Date.parse(s.timestamp), wh: normalizeSample(s.value, s.unit ?? 'Wh') }))
    .filter((r): r is { at: number; wh: { value: number; unit: string } } => r.wh !== null && (r.wh.unit === 'Wh') && Number.isFinite(r.at))
    .sort((a, b) => a.at - b.at);
  if (readings.length < 2) return null;
  const energy = readings[readings.length - 1].wh.value - readings[0].wh.value;
  return energy >= 0 ? energy : null;
}

/** Chargers' clocks are often wrong, so a short session is judged as if it lasted at least this long. */
const MIN_JUDGED_DURATION_S = 3600;

/**
 * Whether meterStop − meterStart can be believed: not negative, and not more than MAX_PLAUSIBLE_POWER_W
 * delivers in the session (at least an hour of it: a skewed clock alone must not discard a reading).
 */
export function isPlausibleEnergy(energyWh: number | null, durationS: number | null): boolean {
  if (energyWh === null || energyWh < 0) return false;
  return energyWh <= (MAX_PLAUSIBLE_POWER_W * Math.max(durationS ?? 0, MIN_JUDGED_DURATION_S)) / 3600;
}

export interface SessionEnergy {
  energyWh: number | null;
  /** Flags to add: ENERGY_FROM_METER_VALUES when the samples decided. */
  flags: string[];
}

/** meterStop below meterStart: no energy from the meters, and a flag. */
export const METER_BACKWARDS = 'meter-backwards';
/** meterStop − meterStart more than any charger delivers in the time, and no samples to tell instead. */
export const METER_IMPLAUSIBLE = 'meter-implausible';

/**
 * The energy a StopTransaction settles (ports.ts SettleStopEnergy): meterStop − meterStart when believable;
 * otherwise null until the session's samples are given, then the register samples (flagged), else none.
 */
export function settleStopEnergy(
  session: { meterStartWh: number; meterStopWh: number; startedAt: string; stoppedAt: string },
  samples: readonly Sample[] | null,
): SessionEnergy | null {
  const fromMeter = session.meterStopWh - session.meterStartWh;
  if (isPlausibleEnergy(fromMeter, durationSeconds(session.startedAt, session.stoppedAt))) return { energyWh: fromMeter, flags: [] };
  if (samples === null) return null;
  const backwards = fromMeter < 0 ? [METER_BACKWARDS] : [];
  const fromSamples = sessionEnergy({ ...session, samples });
  if (fromSamples.energyWh !== null) return { energyWh: fromSamples.energyWh, flags: [...backwards, ...fromSamples.flags] };
  return { energyWh: null, flags: fromMeter < 0 ? backwards : [METER_IMPLAUSIBLE] };
}

/** The session's energy: meterStop − meterStart when plausible, else the register samples (flagged), else null. */
export function sessionEnergy(input: { meterStartWh: number; meterStopWh: number | null; startedAt: string; stoppedAt: string | null; samples: readonly Sample[] }): SessionEnergy {
  const durationS = durationSeconds(input.startedAt, input.stoppedAt);
  const fromMeter = input.meterStopWh === null ? null : input.meterStopWh - input.meterStartWh;
  if (isPlausibleEnergy(fromMeter, durationS)) return { energyWh: fromMeter, flags: [] };
  const fromSamples = energyFromSamples(input.samples);
  if (fromSamples !== null && isPlausibleEnergy(fromSamples, durationS)) return { energyWh: fromSamples, flags: [ENERGY_FROM_METER_VALUES] };
  return { energyWh: null, flags: [] };
}
