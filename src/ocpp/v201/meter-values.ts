// OCPP 2.0.1 MeterValueType as the domain's samples: every sampled value, the value scaled by its unit's
// multiplier (a power of ten) and kept as text, with what an omitted field means in 2.0.1 made explicit.
import { normaliseChargerTime } from '../../domain/time.js';
import type { MeterSampleInput } from '../../domain/ports.js';
import type { V201Request } from './handlers.js';

type MeterValue = V201Request<'MeterValues'>['meterValue'][number];

// 2.0.1 SampledValueType: what an omitted measurand, context and (for energy) unit mean.
const DEFAULT_MEASURAND = 'Energy.Active.Import.Register';
const DEFAULT_CONTEXT = 'Sample.Periodic';
const DEFAULT_ENERGY_UNIT = 'Wh';

export function samplesOf(meterValues: readonly MeterValue[] | undefined, now: Date): MeterSampleInput[] {
  const samples: MeterSampleInput[] = [];
  for (const meterValue of meterValues ?? []) {
    const timestamp = normaliseChargerTime(meterValue.timestamp, now).iso;
    for (const sampled of meterValue.sampledValue) {
      const measurand = sampled.measurand ?? DEFAULT_MEASURAND;
      const multiplier = sampled.unitOfMeasure?.multiplier ?? 0;
      samples.push({
        timestamp,
        value: String(multiplier === 0 ? sampled.value : Number((sampled.value * 10 ** multiplier).toPrecision(15))),
        measurand,
        unit: sampled.unitOfMeasure?.unit ?? (measurand.startsWith('Energy') ? DEFAULT_ENERGY_UNIT : null),
        phase: sampled.phase ?? null,
        context: sampled.context ?? DEFAULT_CONTEXT,
        location: sampled.location ?? null,
        format: null,
      });
    }
  }
  return samples;
}
