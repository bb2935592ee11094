// OCPP 1.6 MeterValue (§7.31, §7.42) as the domain's samples: every sampled value, with what an omitted field
// means in 1.6 made explicit, and the charger's timestamp normalised to UTC.
import { normaliseChargerTime } from '../../domain/time.js';
import type { MeterSampleInput } from '../../domain/ports.js';
import type { V16Methods } from '../schemas/generated/v16.js';

export type MeterValueInput = V16Methods['MeterValues']['request']['meterValue'][number];

// OCPP 1.6 §7.42 SampledValue: what an omitted field means.
const DEFAULT_MEASURAND = 'Energy.Active.Import.Register';
const DEFAULT_CONTEXT = 'Sample.Periodic';
const DEFAULT_UNIT = 'Wh';

export function flattenMeterValues(meterValues: MeterValueInput[], now: Date): MeterSampleInput[] {
  const samples: MeterSampleInput[] = [];
  for (const meterValue of meterValues) {
    const timestamp = normaliseChargerTime(meterValue.timestamp, now).iso;
    for (const sampled of meterValue.sampledValue) {
      const measurand = sampled.measurand ?? DEFAULT_MEASURAND;
      samples.push({
        timestamp,
        value: sampled.value,
        measurand,
        // Only energy registers default to Wh; other measurands without a unit stay without one.
        unit: sampled.unit ?? (measurand.startsWith('Energy') ? DEFAULT_UNIT : null),
        phase: sampled.phase ?? null,
        context: sampled.context ?? DEFAULT_CONTEXT,
        location: sampled.location ?? null,
        format: sampled.format ?? null,
      });
    }
  }
  return samples;
}

