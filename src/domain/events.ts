// Event ids and times. An id is the time in ms (base 36, fixed width), a per-process counter and a random
// process tag: text that sorts in the order events were made, unique across processes, so the live feed
// resumes with "id > Last-Event-ID" and nobody waits for the database to number a row.
import { randomBytes } from 'node:crypto';
import type { Clock, DomainEvent, EventFactory, EventName } from './ports.js';

export class ClockEventFactory implements EventFactory {
  private lastMs = 0;
  private counter = 0;
  private readonly tag = randomBytes(3).toString('hex');

  constructor(private readonly clock: Clock) {}

  create(event: EventName, data: Record<string, unknown>): DomainEvent {
    const now = this.clock.now();
    // Never backwards within a process, even when the wall clock is.
    const ms = Math.max(now.getTime(), this.lastMs);
    if (ms !== this.lastMs) this.counter = 0;
    this.lastMs = ms;
    this.counter += 1;
    const id = `${ms.toString(36).padStart(9, '0')}-${this.counter.toString(36).padStart(4, '0')}-${this.tag}`;
    return { id, event, occurredAt: now.toISOString(), data };
  }
}
