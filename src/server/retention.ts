// Keeps the outbox and the webhook delivery log from growing without end: an hourly pass deletes what is
// older than VOLTGATE_EVENT_RETENTION_DAYS. The first pass runs soon after start, not during it.
import type { Logger } from 'pino';
import type { Clock, EventRepository } from '../domain/ports.js';

const FIRST_PASS_MS = 60_000;
const INTERVAL_MS = 3_600_000;

export function startRetention(options: { events: Pick<EventRepository, 'prune'>; clock: Clock; retentionDays: number; logger: Logger }) {
  const { events, clock, retentionDays, logger } = options;
  let running: Promise<void> | null = null;
  const pass = () => {
    if (running) return running;
    const before = new Date(clock.now().getTime() - retentionDays * 86_400_000).toISOString();
    running = events
      .prune(before)
      .then((pruned) => {
        if (pruned.events + pruned.deliveries > 0) logger.info({ ...pruned, before }, 'old events and webhook deliveries deleted');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'could not delete old events; tried again at the next pass'))
      .finally(() => (running = null));
    return running;
  };
  const first = setTimeout(() => void pass(), FIRST_PASS_MS);
  const timer = setInterval(() => void pass(), INTERVAL_MS);
  first.unref();
  timer.unref();
  return {
    pass,
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
