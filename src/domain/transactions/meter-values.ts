// MeterValues and StopTransaction.transactionData: every sampled value is stored, with the OCPP 1.6
// defaults made explicit, also when the transaction is unknown or stopped (CONFORMANCE 62).
import { normaliseChargerTime } from '../time.js';
import type { Clock, EventFactory, MeterSampleInput, MeterValuesInput, TransactionRepository } from '../ports.js';

/** The OCPP 1.6 MeterValue shape, as the schema types it. */
export interface MeterValueInput {
  timestamp: string;
  sampledValue: Array<{
    value: string;
    context?: string;
    format?: string;
    measurand?: string;
    phase?: string;
    location?: string;
    unit?: string;
  }>;
}

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

export async function recordMeterValues(
  deps: { transactions: TransactionRepository; clock: Clock; events?: EventFactory },
  input: { chargePointId: string; connectorId: number; transactionId?: number; meterValue: MeterValueInput[] },
): Promise<void> {
  const samples = flattenMeterValues(input.meterValue, deps.clock.now());
  if (samples.length === 0) return;
  const record: MeterValuesInput = {
    chargePointId: input.chargePointId,
    connectorId: input.connectorId,
    transactionId: input.transactionId ?? null,
    samples,
  };
  // The event commits with the samples it carries.
  await deps.transactions.addMeterValues(record, deps.events && [deps.events.create('transaction.meter_values', { ...record })]);
}
