// Retention of the outbox and the webhook delivery log: rows older than the limit go, a chunk at a time in
// id order (ids follow time in both tables, so the oldest come first and each chunk stops early), never an
// event still waiting to be queued or delivered.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../tables.js';

/** Rows per DELETE: short statements, so SQLite's one connection is never held for long. */
const CHUNK = 1000;

export async function pruneBefore(db: Kysely<Database>, before: string): Promise<{ events: number; deliveries: number }> {
  let events = 0;
  for (;;) {
    const result = await db
      .deleteFrom('events')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('events as e')
          .select('e.id')
          .where('e.occurred_at', '<', before)
          .where(sql<boolean>`e.dispatched = 1`)
          .where(({ not, exists, selectFrom }) => not(exists(selectFrom('webhook_pending as p').select('p.event_id').whereRef('p.event_id', '=', 'e.id'))))
          .orderBy('e.id')
          .limit(CHUNK),
      )
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    events += deleted;
    if (deleted < CHUNK) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  let deliveries = 0;
  for (;;) {
    const result = await db
      .deleteFrom('webhook_deliveries')
      .where('id', 'in', (eb) => eb.selectFrom('webhook_deliveries as d').select('d.id').where('d.attempted_at', '<', before).orderBy('d.id').limit(CHUNK))
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    deliveries += deleted;
    if (deleted < CHUNK) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { events, deliveries };
}
