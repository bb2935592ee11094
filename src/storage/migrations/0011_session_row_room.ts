// Frozen: room in each page of `transactions` for a session's next version (PostgreSQL). A 2.x session is
// rewritten by every TransactionEvent; with full pages each rewrite is a new row elsewhere, added to all six of
// the table's indexes. With a fifth of each page free, most rewrites stay on their page and touch no index
// (a heap-only tuple). It applies to pages written from now on. SQLite rewrites rows in place: nothing to do.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`alter table transactions set (fillfactor = 80)`.execute(db);
}
