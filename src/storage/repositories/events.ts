// Reads of the event outbox: the live feed's replay after Last-Event-ID.
import type { Kysely, Selectable } from 'kysely';
import type { DomainEvent, EventName } from '../../domain/ports.js';
import type { Database, EventsTable } from '../tables.js';

export function toEvent(row: Pick<Selectable<EventsTable>, 'id' | 'event' | 'occurred_at' | 'data'>): DomainEvent {
  return { id: row.id, event: row.event as EventName, occurredAt: row.occurred_at, data: JSON.parse(row.data) as Record<string, unknown> };
}

export async function eventsAfter(db: Kysely<Database>, afterId: string, limit: number): Promise<DomainEvent[]> {
  const rows = await db.selectFrom('events').select(['id', 'event', 'occurred_at', 'data']).where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map(toEvent);
}
