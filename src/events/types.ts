// The event names of PRODUCT.md "Webhook events", as a list the API validates subscriptions against.
import type { EventName } from '../domain/ports.js';

export type { DomainEvent, EventName } from '../domain/ports.js';

export const EVENT_NAMES: readonly EventName[] = [
  'charge_point.connected',
  'charge_point.disconnected',
  'charge_point.offline',
  'charge_point.status_changed',
  'transaction.started',
  'transaction.meter_values',
  'transaction.stopped',
  'authorization.decided',
  'charge_point.security_event',
];

/** The body of a webhook delivery and the data: line of the live feed: exactly these four fields. */
export function eventBody(event: { id: string; event: string; occurredAt: string; data: unknown }): string {
  return JSON.stringify({ id: event.id, event: event.event, occurredAt: event.occurredAt, data: event.data });
}
