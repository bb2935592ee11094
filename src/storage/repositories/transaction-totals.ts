// GET /statistics: sessions, energy and duration per charger, tag or UTC day, summed by the database.
// Times are ISO-8601 UTC text on both engines, so the day is its first ten characters; durations are
// rounded to whole milliseconds per session so SQLite's julianday and PostgreSQL's epoch sum the same.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Page, PageQuery, SessionTotals, TotalsGroupBy, TransactionFilter } from '../../domain/ports.js';
import { decodeCursor, toPage } from '../cursor.js';
import type { Database } from '../tables.js';
import { filtered } from './transaction-reads.js';

function durationMs(dialect: 'sqlite' | 'postgres'): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`round(extract(epoch from (stopped_at::timestamptz - started_at::timestamptz)) * 1000)`
    : sql<number>`round((julianday(stopped_at) - julianday(started_at)) * 86400000)`;
}

export async function sessionTotals(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  groupBy: TotalsGroupBy,
  filter: TransactionFilter,
  page: PageQuery,
): Promise<Page<SessionTotals>> {
  const column =
    groupBy === 'chargePoint' ? sql<string>`charge_point_id` : groupBy === 'idTag' ? sql<string>`id_tag_key` : sql<string>`substr(started_at, 1, 10)`;
  // Keyset pages in byte order on both engines, whatever PostgreSQL's collation (SQLite compares bytes already).
  const key = dialect === 'postgres' ? sql<string>`${column} collate "C"` : column;
  const after = decodeCursor(page.cursor, 'string');
  // A session stopped before it started (flagged stop-before-start) adds no time.
  const completed = sql`stopped_at is not null and stopped_at >= started_at`;
  let query = filtered(db.selectFrom('transactions'), filter)
    .select([
      key.as('group_key'),
      // One spelling of the tag (idTags compare case-insensitively, so the group is the upper-cased key):
      // the byte-wise smallest on both engines.
      (dialect === 'postgres' ? sql<string>`min(id_tag collate "C")` : sql<string>`min(id_tag)`).as('id_tag'),
      sql<number>`count(*)`.as('sessions'),
      sql<number>`sum(case when stopped_at is null then 1 else 0 end)`.as('active'),
      sql<number>`coalesce(sum(energy_wh), 0)`.as('energy_wh'),
      sql<number>`coalesce(sum(case when ${completed} then ${durationMs(dialect)} else 0 end), 0)`.as('duration_ms'),
    ])
    .groupBy(key)
    .orderBy(key)
    .limit(page.limit + 1);
  if (after !== null) query = query.where(key, '>', after);
  const rows = await query.execute();
  return toPage(
    rows,
    page.limit,
    (row) => ({
      key: groupBy === 'idTag' ? row.id_tag : row.group_key,
      sessions: Number(row.sessions),
      activeSessions: Number(row.active),
      energyWh: Number(row.energy_wh),
      durationS: Number(row.duration_ms) / 1000,
    }),
    (row) => row.group_key,
  );
}
