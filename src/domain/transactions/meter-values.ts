// Meter values: every sampled value is stored, also when the session is unknown or stopped (CONFORMANCE 62).
// Each dialect turns its own meter value messages into samples (ocpp/v16/meter-values.ts), its defaults applied.
import type { EventFactory, MeterSampleInput, MeterValuesInput, TransactionRepository } from '../ports.js';

export async function recordMeterValues(
  deps: { transactions: TransactionRepository; events?: EventFactory },
  input: { chargePointId: string; connectorId: number; transactionId: number | null; samples: MeterSampleInput[] },
): Promise<void> {
  if (input.samples.length === 0) return;
  const record: MeterValuesInput = { chargePointId: input.chargePointId, connectorId: input.connectorId, transactionId: input.transactionId, samples: input.samples };
  // The event commits with the samples it carries.
  await deps.transactions.addMeterValues(record, deps.events && [deps.events.create('transaction.meter_values', { ...record })]);
}
