// Charger reads used by several pages, and the live patching of a charger from feed events.
import { api, seg } from './client';
import type { ChargePoint, FeedMessage, Page } from './types';

/** Every charger: the list pages through the API so a large fleet still shows whole. */
export async function fetchAllChargePoints(): Promise<ChargePoint[]> {
  const all: ChargePoint[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<ChargePoint> = await api.get('/charge-points', { limit: 1000, cursor });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && all.length < 20000);
  return all;
}

export const fetchChargePoint = (id: string) => api.get<ChargePoint>(`/charge-points/${seg(id)}`);

export const CHARGER_EVENTS = [
  'charge_point.connected',
  'charge_point.disconnected',
  'charge_point.offline',
  'charge_point.status_changed',
] as const;

/**
 * Applies what an event says directly, so the screen changes at once; the caller refetches the
 * charger afterwards for the fields events do not carry.
 */
export function patchFromEvent(charger: ChargePoint, message: FeedMessage): ChargePoint {
  const data = message.data;
  switch (message.event) {
    case 'charge_point.connected':
      return { ...charger, connected: true, lastSeenAt: message.occurredAt };
    case 'charge_point.disconnected':
    case 'charge_point.offline':
      return { ...charger, connected: false };
    case 'charge_point.status_changed': {
      const connectorId = Number(data.connectorId);
      const status = String(data.status ?? '');
      if (!Number.isInteger(connectorId) || !status) return charger;
      const evseId = data.evseId === null || data.evseId === undefined ? null : Number(data.evseId);
      const updated = {
        evseId,
        connectorId,
        status,
        errorCode: String(data.errorCode ?? 'NoError'),
        updatedAt: String(data.timestamp ?? message.occurredAt),
      };
      const others = charger.connectors.filter((c) => c.connectorId !== connectorId || (c.evseId ?? null) !== evseId);
      const connectors = [...others, updated].sort((a, b) => (a.evseId ?? 0) - (b.evseId ?? 0) || a.connectorId - b.connectorId);
      return { ...charger, connectors };
    }
    default:
      return charger;
  }
}
