// A charger's security events: the REST list, and the feed event that says a new one was kept.
import { api, seg } from './client';
import type { Page } from './types';

/** One security event: what the charger reported (SecurityEventNotification), or Voltgate's refusal of its handshake. */
export interface SecurityEvent {
  id: number;
  type: string;
  techInfo: string | null;
  source: 'charger' | 'voltgate';
  /** The charger's own timestamp for its events. */
  occurredAt: string;
  receivedAt: string;
}

export const SECURITY_EVENT = 'charge_point.security_event';

/** Newest first, paged by the API's cursor. */
export const fetchSecurityEvents = (chargePointId: string, limit: number, cursor: string | null) =>
  api.get<Page<SecurityEvent>>(`/charge-points/${seg(chargePointId)}/security-events`, { limit, cursor });
