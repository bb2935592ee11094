// The webhook dispatcher's side of the outbox: committed events become one pending delivery per matching
// subscription, due deliveries are read with what they carry, and each attempt is logged with its outcome.
// All of it is in the database, so a restart (or a kill -9) resumes exactly where the last commit left off.
import { sql, type Kysely } from 'kysely';
import type { DomainEvent, WebhookAttempt } from '../../domain/ports.js';
import type { Database } from '../tables.js';
import { toEvent } from './events.js';

export interface DueDelivery {
  webhookId: string;
  url: string;
  secret: string;
  /** Attempts made before this one. */
  attempts: number;
  event: DomainEvent;
}

export type AttemptOutcome = WebhookAttempt;

const matches = (names: string[], event: string) => names.includes('*') || names.includes(event);

/** The enabled subscriptions and the event names each wants. A disabled one gets no new events. */
export async function enabledHooks(db: Kysely<Database>): Promise<Array<{ id: string; names: string[] }>> {
  const rows = await db.selectFrom('webhooks').select(['id', 'events']).where('enabled', '=', 1).execute();
  return rows.map((h) => ({ id: h.id, names: JSON.parse(h.events) as string[] }));
}

/**
 * Queues deliveries for up to `limit` undispatched events; returns how many events it took. `seen` hears which
 * subscriptions are enabled, so events nobody wants can be written as dispatched (storage/outbox.ts).
 */
export async function queueUndispatched(
  db: Kysely<Database>,
  limit: number,
  now: string,
  seen: (hooks: Array<{ id: string; names: string[] }>) => void,
): Promise<number> {
  // Read first, so an event committed after this read is queued by the next pass.
  const hooks = await enabledHooks(db);
  seen(hooks);
  // A literal, not a parameter: SQLite uses the partial index only when it can see the query implies its WHERE.
  const events = await db.selectFrom('events').select(['id', 'event']).where(sql<boolean>`dispatched = 0`).orderBy('id').limit(limit).execute();
  if (events.length === 0) return 0;
  // No transaction until there is work: an idle pass holds no lock the group commit would wait for. Two
  // processes queueing the same event both insert its deliveries once (on conflict do nothing).
  return db.transaction().execute(async (trx) => {
    // The ones a disabled subscription already had wait for it to be re-enabled.
    const pending = events.flatMap((e) =>
      hooks.filter((h) => matches(h.names, e.event)).map((h) => ({ webhook_id: h.id, event_id: e.id, attempts: 0, next_attempt_at: now })),
    );
    // 4 columns a row.
    for (let i = 0; i < pending.length; i += 500) {
      await trx.insertInto('webhook_pending').values(pending.slice(i, i + 500)).onConflict((oc) => oc.doNothing()).execute();
    }
    const ids = events.map((e) => e.id);
    for (let i = 0; i < ids.length; i += 500) {
      await trx.updateTable('events').set({ dispatched: 1 }).where('id', 'in', ids.slice(i, i + 500)).execute();
    }
    return events.length;
  });
}

/** Deliveries due by `now` to enabled subscriptions, oldest due first, leaving out those already in flight. */
export async function dueDeliveries(db: Kysely<Database>, now: string, limit: number, inFlight: ReadonlySet<string>): Promise<DueDelivery[]> {
  const rows = await db
    .selectFrom('webhook_pending as p')
    .innerJoin('webhooks as w', 'w.id', 'p.webhook_id')
    .innerJoin('events as e', 'e.id', 'p.event_id')
    .select(['p.webhook_id', 'p.event_id', 'p.attempts', 'w.url', 'w.secret', 'e.id', 'e.event', 'e.occurred_at', 'e.data'])
    .where('w.enabled', '=', 1)
    .where('p.next_attempt_at', '<=', now)
    .orderBy('p.next_attempt_at')
    .limit(limit + inFlight.size)
    .execute();
  return rows
    .filter((r) => !inFlight.has(deliveryKey(r.webhook_id, r.event_id)))
    .slice(0, limit)
    .map((r) => ({ webhookId: r.webhook_id, url: r.url, secret: r.secret, attempts: r.attempts, event: toEvent(r) }));
}

export const deliveryKey = (webhookId: string, eventId: string) => `${webhookId}\u0000${eventId}`;

function logRow(o: AttemptOutcome) {
  return { webhook_id: o.webhookId, event_id: o.eventId, event: o.event, attempt: o.attempt, attempted_at: o.at, status: o.status, error: o.error, duration_ms: o.durationMs };
}

export async function recordDelivered(db: Kysely<Database>, outcome: AttemptOutcome): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('webhook_pending').where('webhook_id', '=', outcome.webhookId).where('event_id', '=', outcome.eventId).execute();
    await trx.insertInto('webhook_deliveries').values(logRow(outcome)).execute();
    await trx.updateTable('webhooks').set({ consecutive_failures: 0 }).where('id', '=', outcome.webhookId).execute();
  });
}

/**
 * A failed attempt: retried at `nextAttemptAt`. The subscription's failure count is the most attempts any delivery
 * has failed since the last success, so a burst of events failing together counts once, and it is disabled when a
 * delivery failed `maxFailures` times in a row (with the back-off, that is a receiver down for a long while).
 */
export async function recordFailed(db: Kysely<Database>, outcome: AttemptOutcome, nextAttemptAt: string, maxFailures: number): Promise<void> {
  const attempt = outcome.attempt;
  const count = sql`cast(${attempt} as integer)`;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('webhook_pending')
      .set({ attempts: outcome.attempt, next_attempt_at: nextAttemptAt })
      .where('webhook_id', '=', outcome.webhookId)
      .where('event_id', '=', outcome.eventId)
      .execute();
    await trx.insertInto('webhook_deliveries').values(logRow(outcome)).execute();
    await trx
      .updateTable('webhooks')
      .set({
        consecutive_failures: sql`case when consecutive_failures < ${count} then ${count} else consecutive_failures end`,
        ...(attempt >= maxFailures ? { enabled: 0, disabled_at: sql`coalesce(disabled_at, ${outcome.at})` } : {}),
      })
      .where('id', '=', outcome.webhookId)
      .execute();
  });
}
