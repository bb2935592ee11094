// The open 2.x sessions this process last wrote, as stored (PostgreSQL). A station's next TransactionEvent then
// needs no read before its batch's statement: one round trip instead of two, which is most of an event's wait at
// light load. The database still decides: the statement keeps an event of a remembered session only while the
// stored row has the remembered revision (every write of a session row counts one), so a row changed elsewhere
// (another process, a flag added through another path) is never written over; that event is refused once, the
// row forgotten, and the station's resend reads it afresh.
import type { Selectable } from 'kysely';
import type { TransactionsTable } from './tables.js';

type Row = Selectable<TransactionsTable>;

export class SessionCache {
  private readonly rows = new Map<string, Row>();
  private readonly keysById = new Map<number, string>();

  /** @param capacity sessions remembered; the least recently used go first. */
  constructor(private readonly capacity = 20_000) {}

  static key(chargePointId: string, chargerTransactionId: string): string {
    return `${chargePointId}\u0000${chargerTransactionId}`;
  }

  get(key: string): Row | undefined {
    const row = this.rows.get(key);
    if (row) {
      this.rows.delete(key);
      this.rows.set(key, row);
    }
    return row;
  }

  /** The row as now stored. An ended session is forgotten: it rarely hears from its station again. */
  remember(key: string, row: Row): void {
    this.forget(key);
    if (row.stopped_at !== null) return;
    this.rows.set(key, row);
    this.keysById.set(row.id, key);
    if (this.rows.size > this.capacity) this.forget(this.rows.keys().next().value!);
  }

  forget(key: string): void {
    const row = this.rows.get(key);
    if (!row) return;
    this.rows.delete(key);
    this.keysById.delete(row.id);
  }

  forgetId(id: number): void {
    const key = this.keysById.get(id);
    if (key !== undefined) this.forget(key);
  }

  get size(): number {
    return this.rows.size;
  }
}
