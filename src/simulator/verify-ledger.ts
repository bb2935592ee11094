// After a fault run: is everything the CSMS acknowledged in its database, exactly once? The rows are read
// straight from PostgreSQL (not through the API, whose read path collapses duplicates) and compared with
// the bench's ledger. Times are compared as instants: the server stores its own normalised UTC text.
// A 2.0.1 session is found by (charge_point_id, charger_transaction_id), its samples through that row's id.
import pg from 'pg';
import type { AckedSample, AckedStart, AckedStop } from './ledger.js';

export interface TransactionRow {
  id: number;
  chargePointId: string;
  connectorId: number;
  idTag: string;
  startedAtMs: number;
  meterStartWh: number;
  stoppedAtMs: number | null;
  meterStopWh: number | null;
  /** 2.0.1 rows: the station's own transaction id, and the EVSE. */
  chargerTransactionId?: string | null;
  evseId?: number | null;
}

export interface MeterValueRow {
  chargePointId: string;
  transactionId: number | null;
  timestampMs: number;
  measurand: string;
  value: string;
}

export interface LedgerVerification {
  ok: boolean;
  starts: { acknowledged: number; missing: number; mismatched: number; notUnique: number };
  stops: { acknowledged: number; missing: number; mismatched: number };
  /** A sample stored more than once is not an error (a resent MeterValues may be; reads collapse it), but is counted. */
  samples: { acknowledged: number; missing: number; storedMoreThanOnce: number };
  /** Groups of transactions rows sharing (charge_point_id, connector_id, started_at): one session stored twice. */
  duplicateStarts: number;
  rows: { transactions: number; meterValues: number };
  /** The first problems found, in words. */
  problems: string[];
}

const MAX_PROBLEMS = 20;
const iso = (ms: number | null) => (ms === null || Number.isNaN(ms) ? String(ms) : new Date(ms).toISOString());
const startKey = (chargePointId: string, connectorId: number, startedAtMs: number) => `${chargePointId}\u0000${connectorId}\u0000${startedAtMs}`;
const sampleKey = (s: { chargePointId: string; transactionId: number | null; timestampMs: number; measurand: string; value: string }) =>
  `${s.chargePointId}\u0000${s.transactionId}\u0000${s.timestampMs}\u0000${s.measurand}\u0000${s.value}`;
const chargerKey = (chargePointId: string, chargerTransactionId: string) => `${chargePointId}\u0000${chargerTransactionId}`;
/** How a message names its session in words: the CSMS's id (1.6) or the station's (2.0.1). */
const named = (s: { transactionId: number | null; chargerTransactionId?: string }) =>
  s.chargerTransactionId === undefined ? `transaction ${s.transactionId}` : `transaction "${s.chargerTransactionId}"`;

/** Pure: the ledger against the rows. */
export function compareLedger(
  ledger: { starts: readonly AckedStart[]; stops: readonly AckedStop[]; samples: readonly AckedSample[] },
  transactions: readonly TransactionRow[],
  meterValues: readonly MeterValueRow[],
): LedgerVerification {
  const problems: string[] = [];
  const problem = (text: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(text);
  };
  const byId = new Map(transactions.map((row) => [row.id, row]));
  const byChargerId = new Map(
    transactions.filter((row) => row.chargerTransactionId != null).map((row) => [chargerKey(row.chargePointId, row.chargerTransactionId!), row]),
  );
  const rowOf = (s: { chargePointId: string; transactionId: number | null; chargerTransactionId?: string }) => {
    if (s.chargerTransactionId !== undefined) return byChargerId.get(chargerKey(s.chargePointId, s.chargerTransactionId));
    return s.transactionId === null ? undefined : byId.get(s.transactionId);
  };
  const sameStart = new Map<string, number>();
  for (const row of transactions) {
    const key = startKey(row.chargePointId, row.connectorId, row.startedAtMs);
    sameStart.set(key, (sameStart.get(key) ?? 0) + 1);
  }
  let duplicateStarts = 0;
  for (const [key, count] of sameStart) {
    if (count < 2) continue;
    duplicateStarts++;
    const [chargePointId, connectorId, startedAtMs] = key.split('\u0000');
    problem(`${count} transactions rows for one start: ${chargePointId} connector ${connectorId} at ${iso(Number(startedAtMs))}`);
  }

  const starts = { acknowledged: ledger.starts.length, missing: 0, mismatched: 0, notUnique: 0 };
  for (const start of ledger.starts) {
    const row = rowOf(start);
    const v201 = start.chargerTransactionId !== undefined;
    const where = v201 ? `EVSE ${start.evseId}` : `connector ${start.connectorId}`;
    const what = `start ${start.chargePointId} ${where} at ${iso(start.timestampMs)} (${v201 ? named(start) : `answered transactionId ${start.transactionId}`})`;
    if (!row) {
      starts.missing++;
      problem(`${what}: no transactions row with that id`);
      continue;
    }
    const differs: string[] = [];
    if (row.chargePointId !== start.chargePointId) differs.push(`charge_point_id ${row.chargePointId}`);
    // What connector_id holds for a 2.0.1 session is the server's choice; the EVSE is what the station named.
    if (!v201 && row.connectorId !== start.connectorId) differs.push(`connector_id ${row.connectorId}`);
    if (v201 && row.evseId !== start.evseId) differs.push(`evse_id ${row.evseId}`);
    if (row.idTag !== start.idTag) differs.push(`id_tag ${row.idTag}`);
    if (row.startedAtMs !== start.timestampMs) differs.push(`started_at ${iso(row.startedAtMs)}`);
    if (row.meterStartWh !== start.meterStart) differs.push(`meter_start_wh ${row.meterStartWh} (sent ${start.meterStart})`);
    if (differs.length) {
      starts.mismatched++;
      problem(`${what}: row differs: ${differs.join(', ')}`);
    }
    if ((sameStart.get(startKey(start.chargePointId, start.connectorId, start.timestampMs)) ?? 0) > 1) starts.notUnique++;
  }

  const stops = { acknowledged: ledger.stops.length, missing: 0, mismatched: 0 };
  for (const stop of ledger.stops) {
    const row = rowOf(stop);
    const what = `stop of ${named(stop)} (${stop.chargePointId}) at ${iso(stop.timestampMs)}`;
    if (!row || row.stoppedAtMs === null) {
      stops.missing++;
      problem(`${what}: ${row ? 'the row is not stopped' : 'no transactions row with that id'}`);
    } else if (row.stoppedAtMs !== stop.timestampMs || row.meterStopWh !== stop.meterStop) {
      stops.mismatched++;
      problem(`${what}: row has stopped_at ${iso(row.stoppedAtMs)}, meter_stop_wh ${row.meterStopWh} (sent ${stop.meterStop})`);
    }
  }

  const stored = new Map<string, number>();
  for (const row of meterValues) {
    const key = sampleKey(row);
    stored.set(key, (stored.get(key) ?? 0) + 1);
  }
  const samples = { acknowledged: ledger.samples.length, missing: 0, storedMoreThanOnce: 0 };
  for (const sample of ledger.samples) {
    // A 2.0.1 sample is stored under its session's row id; no row, no sample.
    const transactionId = sample.chargerTransactionId === undefined ? sample.transactionId : rowOf(sample)?.id;
    const count = transactionId === undefined ? 0 : (stored.get(sampleKey({ ...sample, transactionId })) ?? 0);
    if (count === 0) {
      samples.missing++;
      problem(`meter value ${sample.measurand}=${sample.value} of ${sample.chargePointId} ${named(sample)} at ${iso(sample.timestampMs)}: not in meter_values`);
    } else if (count > 1) {
      samples.storedMoreThanOnce++;
    }
  }

  const ok = duplicateStarts === 0 && starts.missing + starts.mismatched + stops.missing + stops.mismatched + samples.missing === 0;
  return { ok, starts, stops, samples, duplicateStarts, rows: { transactions: transactions.length, meterValues: meterValues.length }, problems };
}

/** Reads the bench's database and compares. */
export async function verifyLedger(
  ledger: { starts: readonly AckedStart[]; stops: readonly AckedStop[]; samples: readonly AckedSample[] },
  databaseUrl: string,
): Promise<LedgerVerification> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {}); // a fault may still be settling: the query then fails, the bench does not
  await client.connect();
  try {
    // bigint columns come back as strings: numbers here are far below 2^53. The 2.0.1 columns are read only
    // when 2.0.1 sessions were acknowledged, so a 1.6 check does not depend on them.
    const v201 = ledger.starts.some((s) => s.chargerTransactionId !== undefined) || ledger.stops.some((s) => s.chargerTransactionId !== undefined);
    const transactions = await client.query(
      `select id, charge_point_id, connector_id, id_tag, started_at, meter_start_wh, stopped_at, meter_stop_wh${v201 ? ', charger_transaction_id, evse_id' : ''} from transactions`,
    );
    const meterValues = await client.query('select charge_point_id, transaction_id, timestamp, measurand, value from meter_values');
    return compareLedger(
      ledger,
      transactions.rows.map((r) => ({
        id: Number(r.id),
        chargePointId: r.charge_point_id,
        connectorId: Number(r.connector_id),
        idTag: r.id_tag,
        startedAtMs: Date.parse(r.started_at),
        meterStartWh: Number(r.meter_start_wh),
        stoppedAtMs: r.stopped_at === null ? null : Date.parse(r.stopped_at),
        meterStopWh: r.meter_stop_wh === null ? null : Number(r.meter_stop_wh),
        ...(v201 ? { chargerTransactionId: r.charger_transaction_id, evseId: r.evse_id === null ? null : Number(r.evse_id) } : {}),
      })),
      meterValues.rows.map((r) => ({
        chargePointId: r.charge_point_id,
        transactionId: r.transaction_id === null ? null : Number(r.transaction_id),
        timestampMs: Date.parse(r.timestamp),
        measurand: r.measurand,
        value: r.value,
      })),
    );
  } finally {
    await client.end().catch(() => {});
  }
}
