// The outbox as the group commit sees it: events become rows of the same batch as the write they describe,
// and listeners (the live feed, the webhook dispatcher) hear of them only once that batch has committed.
import type { DomainEvent } from '../domain/ports.js';
import type { BatchBuffers, Guard } from './unit-of-work.js';

export class OutboxRows {
  private readonly listeners = new Set<(events: DomainEvent[]) => void>();
  /** Event names some enabled webhook wants; null: not known yet, so every event is queued for the dispatcher. */
  private wanted: { all: boolean; names: Set<string> } | null = null;

  /** With a guard, the rows are written only if the planned write they describe applies (unit-of-work.ts). */
  push(buffers: BatchBuffers, events: DomainEvent[] | undefined, guard?: Guard): void {
    if (!events) return;
    for (const e of events) {
      // The most frequent event, and its samples are in meter_values anyway: kept in the outbox only while a
      // webhook wants it or a live feed listens (measured: docs/BENCHMARKS.md). Every other event is kept.
      if (e.event === 'transaction.meter_values' && this.listeners.size === 0 && !this.isWanted(e.event)) continue;
      // An event no subscription wants is written as already dispatched: the dispatcher never touches it,
      // which keeps a fleet without webhooks from paying an update per event.
      const dispatched = this.isWanted(e.event) ? 0 : 1;
      const row = { id: e.id, event: e.event, occurred_at: e.occurredAt, data: JSON.stringify(e.data), dispatched };
      buffers.events.push(row);
      if (guard) buffers.guard(row, guard);
    }
  }

  /** Counts subscription changes made here, so a read that raced one cannot undo it. */
  private changes = 0;

  /** Call before reading the subscriptions; pass the result to setWanted. */
  readStarted(): number {
    return this.changes;
  }

  /**
   * The enabled subscriptions' event lists as the dispatcher read them. When a subscription was added here
   * since that read began, the read may predate it: its names are kept (a name wanted too long costs only work).
   */
  setWanted(lists: string[][], readStartedAt: number): void {
    const names = new Set(lists.flat());
    if (readStartedAt !== this.changes && this.wanted) for (const name of this.wanted.names) names.add(name);
    this.wanted = { all: names.has('*'), names };
  }

  /** A subscription was created or re-enabled here: its events are wanted from the next commit on. */
  addWanted(events: string[]): void {
    this.changes += 1;
    if (!this.wanted) return;
    for (const name of events) this.wanted.names.add(name);
    if (events.includes('*')) this.wanted.all = true;
  }

  private isWanted(event: string): boolean {
    return !this.wanted || this.wanted.all || this.wanted.names.has(event);
  }

  /** Called when committed events include one a subscription wants (the dispatcher's cue). */
  onDispatchable: (() => void) | null = null;

  /** Tells the listeners; a listener that throws must not fail the write that was already committed. */
  committed(events: DomainEvent[] | undefined): void {
    if (!events || events.length === 0) return;
    if (this.onDispatchable && events.some((e) => this.isWanted(e.event))) this.onDispatchable();
    if (this.listeners.size === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch {
        // a listener's own bug; the events are durable and the dispatcher's poll picks them up
      }
    }
  }

  onCommitted(listener: (events: DomainEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
