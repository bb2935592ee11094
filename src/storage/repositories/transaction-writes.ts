// The money-bearing writes' shared parts: the plan of a batch's session writes, meter values and flags.
// Starts are in transaction-starts.ts, stops in transaction-stops.ts. Each runs inside a group-commit batch
// (a database transaction shared with other chargers' writes) and must not assume it is alone.
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { MeterValuesInput } from '../../domain/ports.js';
import type { Database } from '../tables.js';
import type { BatchBuffers, Guard, MeterValueRow } from '../unit-of-work.js';

type Trx = Transaction<Database>;

/**
 * A batch's session writes planned as one CTE of its single statement (PostgreSQL), with each input's result
 * as it will be if its write applies. `guardId` is the id the CTE returns then, for the rows that go with it
 * (its event, its samples); null when the input writes nothing. finish() turns the ids that did apply into the
 * results, reading back an input whose write did not (another process got there first).
 */
export interface WritePlan<R> {
  cte: RawBuilder<unknown>;
  /** CTEs the write needs before its own, named `<cte>_<suffix>` (PostgreSQL allows no nested data-modifying CTE). */
  before?: Array<{ suffix: string; cte: RawBuilder<unknown> }>;
  predicted: Array<{ result: R; guardId: number | null }>;
  /** A WriteRaced in place of a result fails that input alone. */
  finish(applied: Set<number>): Promise<Array<R | WriteRaced>>;
}

/**
 * A planned write that another write of the same session overtook between the batch's read and its statement
 * (a charger resending before its first send was answered, or another process): nothing of it was stored, and
 * the charger's resend, seeing the stored state, goes through.
 */
export class WriteRaced extends Error {
  constructor(what: string) {
    super(`${what} raced with another write of the same session; send it again`);
    this.name = 'WriteRaced';
  }
}

/** Queues the samples for the batch's bulk insert. A resent MeterValues is stored again and collapsed on read. */
export function bufferMeterValues(buffers: BatchBuffers, input: MeterValuesInput, now: string, guard?: Guard): void {
  for (const s of input.samples) {
    const row = {
      transaction_id: input.transactionId,
      charge_point_id: input.chargePointId,
      connector_id: input.connectorId,
      timestamp: s.timestamp,
      measurand: s.measurand,
      value: s.value,
      unit: s.unit,
      phase: s.phase,
      context: s.context,
      location: s.location,
      format: s.format,
      received_at: now,
    } satisfies MeterValueRow;
    buffers.meterValues.push(row);
    if (guard) buffers.guard(row, guard);
  }
}

export async function addFlags(trx: Trx, id: number, flags: string[]): Promise<void> {
  const row = await trx.selectFrom('transactions').select('flags').where('id', '=', id).executeTakeFirst();
  if (!row) return;
  const merged = [...new Set([...(JSON.parse(row.flags) as string[]), ...flags])];
  await trx.updateTable('transactions').set({ flags: JSON.stringify(merged), revision: sql`revision + 1` }).where('id', '=', id).execute();
}
