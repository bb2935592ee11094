// The outbox, webhook subscriptions and connection history, as create-storage.ts hands them out.
import type { Kysely } from 'kysely';
import type { ConnectionRepository, EventRepository, WebhookRepository } from '../domain/ports.js';
import type { OutboxRows } from './outbox.js';
import * as connections from './repositories/connections.js';
import * as events from './repositories/events.js';
import * as queue from './repositories/webhook-queue.js';
import * as retention from './repositories/retention.js';
import * as webhooks from './repositories/webhooks.js';
import type { Database } from './tables.js';
import type { GroupCommit } from './unit-of-work.js';
import type { HeldWrites } from './held-writes.js';

export type { AttemptOutcome, DueDelivery } from './repositories/webhook-queue.js';

/** What the webhook dispatcher (events/webhooks/dispatcher.ts) needs of the database. */
export interface WebhookQueue {
  /** Events a subscription wants were committed. */
  onDispatchable(listener: () => void): void;
  queueUndispatched(limit: number, now: string): Promise<number>;
  due(now: string, limit: number, inFlight: ReadonlySet<string>): Promise<queue.DueDelivery[]>;
  delivered(outcome: queue.AttemptOutcome): Promise<void>;
  failed(outcome: queue.AttemptOutcome, nextAttemptAt: string, maxFailures: number): Promise<void>;
}

export interface EventStorage {
  events: EventRepository;
  webhooks: WebhookRepository;
  connections: ConnectionRepository;
  webhookQueue: WebhookQueue;
}

/** Connection history and events of their own are held while storage is away (held-writes.ts). */
export function eventStorage(db: Kysely<Database>, group: GroupCommit, outbox: OutboxRows, held: HeldWrites): EventStorage {
  return {
    events: {
      append: async (list) => {
        if (list.length === 0) return;
        await held.write(async () => {
          await group.buffer((buffers) => outbox.push(buffers, list));
          outbox.committed(list);
        });
      },
      after: (afterId, limit) => events.eventsAfter(db, afterId, limit),
      onCommitted: (listener) => outbox.onCommitted(listener),
      prune: (before) => retention.pruneBefore(db, before),
    },
    webhooks: {
      list: (query) => webhooks.listWebhooks(db, query),
      get: (id) => webhooks.getWebhook(db, id),
      // A new or re-enabled subscription wants its events from the next commit on, not from the next dispatcher pass.
      // Before and after the write: a dispatcher read in between sees no subscription, and must not undo it.
      create: async (input) => {
        outbox.addWanted(input.events);
        const webhook = await webhooks.createWebhook(db, input);
        outbox.addWanted(input.events);
        return webhook;
      },
      delete: (id) => webhooks.deleteWebhook(db, id),
      enable: async (id, at) => {
        const webhook = await webhooks.getWebhook(db, id);
        if (webhook) outbox.addWanted(webhook.events);
        const enabled = await webhooks.enableWebhook(db, id, at);
        if (enabled) outbox.addWanted(enabled.events);
        return enabled;
      },
      deliveries: (id, query) => webhooks.listDeliveries(db, id, query),
    },
    connections: {
      // Rows of the batch's bulk insert with their events: a reconnect storm's thousands are one statement.
      record: async (input, list) => {
        await held.write(async () => {
          await group.buffer((buffers) => {
            buffers.connections.push(connections.connectionRow(input));
            outbox.push(buffers, list);
          });
          outbox.committed(list);
        });
      },
      list: (id, query) => connections.listConnections(db, id, query),
    },
    webhookQueue: {
      onDispatchable: (listener) => {
        outbox.onDispatchable = listener;
      },
      queueUndispatched: (limit, now) => {
        const since = outbox.readStarted();
        return queue.queueUndispatched(db, limit, now, (hooks) => outbox.setWanted(hooks.map((h) => h.names), since));
      },
      due: (now, limit, inFlight) => queue.dueDeliveries(db, now, limit, inFlight),
      delivered: (outcome) => queue.recordDelivered(db, outcome),
      failed: (outcome, next, max) => queue.recordFailed(db, outcome, next, max),
    },
  };
}
