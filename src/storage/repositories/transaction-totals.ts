// GET /statistics: sessions, energy and duration per charger, tag or UTC day, summed by the database.
// Times are ISO-8601 UTC text on both engines, so the day is its first ten characters; durations are
// rounded to whole milliseconds per session so SQLite's julianday and PostgreSQL's epoch sum the same.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { SessionTotals, TotalsGroupBy, TransactionFilter } from '../../domain/ports.js';
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
): Promise<SessionTotals[]> {
  const key =
    groupBy === 'chargePoint' ? sql<string>`charge_point_id` : groupBy === 'idTag' ? sql<string>`id_tag_key` : sql<string>`substr(started_at, 1, 10)`;
  // A session stopped before it started (flagged stop-before-start) adds no time.
  const completed = sql`stopped_at is not null and stopped_at >= started_at`;
  const rows = await filtered(db.selectFrom('transactions'), filter)
    .select([
      key.as('group_key'),
      // One spelling of the tag (idTags compare case-insensitively, so the group is the upper-cased key):
      // the byte-wise smallest on both engines, whatever PostgreSQL's collation.
      (dialect === 'postgres' ? sql<string>`min(id_tag collate "C")` : sql<string>`min(id_tag)`).as('id_tag'),
      sql<number>`count(*)`.as('sessions'),
      sql<number>`sum(case when stopped_at is null then 1 else 0 end)`.as('active'),
      sql<number>`coalesce(sum(energy_wh), 0)`.as('energy_wh'),
      sql<number>`coalesce(sum(case when ${completed} then ${durationMs(dialect)} else 0 end), 0)`.as('duration_ms'),
    ])
    .groupBy(key)
    .execute();
  // Sorted here, not in SQL: PostgreSQL's collation would order text differently from SQLite's bytes.
  return rows.map((row) => ({
    key: groupBy === 'idTag' ? row.id_tag : row.group_key,
    sessions: Number(row.sessions),
    activeSessions: Number(row.active),
    energyWh: Number(row.energy_wh),
    durationS: Number(row.duration_ms) / 1000,
  })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
