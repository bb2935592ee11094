// Frozen: what lets a 2.x session's next event skip reading its session (PostgreSQL keeps the open sessions it
// wrote in memory, storage/session-cache.ts):
// - `revision` counts the writes of a session row, so a remembered row is used only while it is still the
//   stored one;
// - room in each page of `transactions` for a session's next version. A 2.x session is rewritten by every
//   TransactionEvent; with full pages each rewrite is a new row elsewhere, added to all six of the table's
//   indexes. With a fifth of each page free, most rewrites stay on their page and touch no index (a heap-only
//   tuple). It applies to pages written from now on. SQLite rewrites rows in place.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.alterTable('transactions').addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  if (dialect === 'postgres') await sql`alter table transactions set (fillfactor = 80)`.execute(db);
}
