// Keeps the outbox and the webhook delivery log from growing without end: an hourly pass deletes what is
// older than VOLTGATE_EVENT_RETENTION_DAYS. The first pass runs soon after start, not during it.
import type { Logger } from 'pino';
import type { Clock, EventRepository } from '../domain/ports.js';
import { startPeriodicPass } from './periodic-pass.js';

export function startRetention(options: { events: Pick<EventRepository, 'prune'>; clock: Clock; retentionDays: number; logger: Logger }) {
  const { events, clock, retentionDays, logger } = options;
  const run = () => {
    const before = new Date(clock.now().getTime() - retentionDays * 86_400_000).toISOString();
    return events
      .prune(before)
      .then((pruned) => {
        if (pruned.events + pruned.deliveries > 0) logger.info({ ...pruned, before }, 'old events and webhook deliveries deleted');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'could not delete old events; tried again at the next pass'));
  };
  return startPeriodicPass(run, { firstMs: 60_000, intervalMs: 3_600_000 });
}
