// Reading sessions back: one with its meter values, filtered pages (newest first), and exports paged in
// id order so a long export never holds the database (better-sqlite3 is synchronous) for long.
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { MeterValueRecord, Page, PageQuery, TransactionDetail, TransactionFilter, TransactionRecord } from '../../domain/ports.js';
import { decodeCursor, toPage } from '../cursor.js';
import type { Database } from '../tables.js';
import { toMeterValue, toTransaction } from './transaction-rows.js';

type Db = Kysely<Database>;

export function filtered<O>(select: SelectQueryBuilder<Database, 'transactions', O>, filter: TransactionFilter) {
  let q = select;
  if (filter.chargePointId !== undefined) q = q.where('charge_point_id', '=', filter.chargePointId);
  if (filter.idTag !== undefined) q = q.where('id_tag_key', '=', filter.idTag.toUpperCase());
  if (filter.from !== undefined) q = q.where('started_at', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('started_at', '<', filter.to);
  if (filter.active === true) q = q.where('stopped_at', 'is', null);
  if (filter.active === false) q = q.where('stopped_at', 'is not', null);
  return q;
}

export async function getTransaction(db: Db, id: number): Promise<TransactionDetail | null> {
  const row = await db.selectFrom('transactions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const samples = await db
    .selectFrom('meter_values')
    .selectAll()
    .where('transaction_id', '=', id)
    .where('charge_point_id', '=', row.charge_point_id)
    .orderBy('timestamp')
    .orderBy('id')
    .execute();
  return {
    ...toTransaction(row),
    meterValues: distinctSamples(samples.map(toMeterValue)),
    transactionData: row.transaction_data === null ? null : JSON.parse(row.transaction_data),
  };
}

/**
 * A MeterValues the charger resent (its answer was lost) is stored twice; the session shows each sample once.
 * Collapsing here rather than with a unique index keeps every meter-value insert an append (see BENCHMARKS.md).
 */
function distinctSamples(samples: MeterValueRecord[]): MeterValueRecord[] {
  const seen = new Set<string>();
  return samples.filter((s) => {
    const key = JSON.stringify([s.timestamp, s.measurand, s.value, s.unit, s.phase, s.context, s.location]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function listTransactions(db: Db, filter: TransactionFilter, query: PageQuery): Promise<Page<TransactionRecord>> {
  const before = decodeCursor(query.cursor, 'number');
  let select = filtered(db.selectFrom('transactions').selectAll(), filter).orderBy('id', 'desc').limit(query.limit + 1);
  if (before !== null) select = select.where('id', '<', before);
  return toPage(await select.execute(), query.limit, toTransaction, (row) => row.id);
}

export async function* iterateTransactions(db: Db, filter: TransactionFilter, pageSize = 500): AsyncIterable<TransactionRecord> {
  let after = 0;
  for (;;) {
    const rows = await filtered(db.selectFrom('transactions').selectAll(), filter)
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    for (const row of rows) yield toTransaction(row);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].id;
  }
}

export async function listOpen(db: Db): Promise<Array<{ id: number; idTag: string }>> {
  const rows = await db.selectFrom('transactions').select(['id', 'id_tag']).where('stopped_at', 'is', null).execute();
  return rows.map((row) => ({ id: row.id, idTag: row.id_tag }));
}
