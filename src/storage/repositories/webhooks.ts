// Webhook subscriptions and their delivery log, as the API manages them.
import type { Kysely, Selectable } from 'kysely';
import type { Page, PageQuery, WebhookDeliveryRecord, WebhookRecord } from '../../domain/ports.js';
import { decodeCursor, toPage } from '../cursor.js';
import type { Database, WebhookDeliveriesTable, WebhooksTable } from '../tables.js';

export function toWebhook(row: Selectable<WebhooksTable>): WebhookRecord {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    enabled: Boolean(row.enabled),
    consecutiveFailures: row.consecutive_failures,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
  };
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): WebhookDeliveryRecord {
  return {
    id: Number(row.id),
    eventId: row.event_id,
    event: row.event,
    attempt: row.attempt,
    attemptedAt: row.attempted_at,
    status: row.status,
    error: row.error,
    durationMs: row.duration_ms,
  };
}

export async function getWebhook(db: Kysely<Database>, id: string): Promise<WebhookRecord | null> {
  const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toWebhook(row) : null;
}

export async function listWebhooks(db: Kysely<Database>, query: PageQuery): Promise<Page<WebhookRecord>> {
  const after = decodeCursor(query.cursor, 'string');
  let select = db.selectFrom('webhooks').selectAll().orderBy('id').limit(query.limit + 1);
  if (after !== null) select = select.where('id', '>', after);
  return toPage(await select.execute(), query.limit, toWebhook, (row) => row.id);
}

export async function createWebhook(
  db: Kysely<Database>,
  input: { id: string; url: string; events: string[]; secret: string; at: string },
): Promise<WebhookRecord> {
  await db
    .insertInto('webhooks')
    .values({ id: input.id, url: input.url, events: JSON.stringify(input.events), secret: input.secret, enabled: 1, consecutive_failures: 0, disabled_at: null, created_at: input.at })
    .execute();
  return (await getWebhook(db, input.id))!;
}

/** The subscription, its pending deliveries and its log go together. */
export async function deleteWebhook(db: Kysely<Database>, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('webhook_pending').where('webhook_id', '=', id).execute();
    await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
    const result = await trx.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

/** Re-enabled with a clean failure count; its pending deliveries become due at once. */
export async function enableWebhook(db: Kysely<Database>, id: string, at: string): Promise<WebhookRecord | null> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('webhooks').set({ enabled: 1, consecutive_failures: 0, disabled_at: null }).where('id', '=', id).execute();
    await trx.updateTable('webhook_pending').set({ next_attempt_at: at }).where('webhook_id', '=', id).execute();
  });
  return getWebhook(db, id);
}

export async function listDeliveries(db: Kysely<Database>, webhookId: string, query: PageQuery): Promise<Page<WebhookDeliveryRecord>> {
  const before = decodeCursor(query.cursor, 'number');
  let select = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('id', 'desc').limit(query.limit + 1);
  if (before !== null) select = select.where('id', '<', before);
  return toPage(await select.execute(), query.limit, toDelivery, (row) => Number(row.id));
}
