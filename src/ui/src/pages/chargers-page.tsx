// The fleet at a glance, kept current by the live feed: a new charger appears, a state change shows
// at once. Rows are links (anchors), so they open the charger page on click and in a new tab.
import { useEffect, useRef } from 'preact/hooks';
import { CHARGER_EVENTS, fetchAllChargePoints, fetchChargePoint, patchFromEvent } from '../api/charge-points';
import { ApiError } from '../api/client';
import { useFeed } from '../api/feed';
import type { ChargePoint, FeedMessage } from '../api/types';
import { ConnectorList } from '../components/connector-list';
import { LoadState } from '../components/load-state';
import { StatusBadge } from '../components/status-badge';
import { formatAgo } from '../lib/format';
import { href } from '../lib/router';
import { useNow } from '../lib/use-now';
import { useResource } from '../lib/use-resource';

export function ChargersPage() {
  const chargers = useResource(fetchAllChargePoints, []);
  const now = useNow();
  const refetchQueue = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  // A burst of status events for one charger costs one refetch.
  function refetchSoon(id: string) {
    const queue = refetchQueue.current;
    if (queue.has(id)) return;
    queue.set(id, setTimeout(async () => {
      queue.delete(id);
      try {
        const fresh = await fetchChargePoint(id);
        chargers.setData((list) => upsert(list ?? [], fresh));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) chargers.setData((list) => list?.filter((c) => c.id !== id));
      }
    }, 300));
  }

  // Events say nothing about heartbeats, so "last seen" is refreshed by a quiet reload now and then.
  useEffect(() => {
    const timer = setInterval(() => chargers.reload(true), 30000);
    return () => clearInterval(timer);
  }, []);

  useFeed((message: FeedMessage) => {
    const id = String(message.data.chargePointId ?? '');
    if (!id) return;
    chargers.setData((list) => list?.map((c) => (c.id === id ? patchFromEvent(c, message) : c)));
    refetchSoon(id);
  }, CHARGER_EVENTS);

  const list = chargers.data ?? [];
  const online = list.filter((c) => c.connected).length;

  return (
    <section>
      <div class="page-head">
        <h1>Chargers</h1>
        {chargers.data ? <span class="muted">{online} of {list.length} online · live</span> : null}
      </div>
      <LoadState loading={chargers.loading} error={chargers.error} hasData={chargers.data !== undefined}>
        <div class="scroll-x">
          <div class="dtable" data-testid="chargers-table">
            <div class="dtable-head">
              <span>Charger</span>
              <span>Connection</span>
              <span>Protocol</span>
              <span>Vendor / model</span>
              <span>Connectors</span>
              <span>Last seen</span>
            </div>
            {list.map((charger) => (
              <a class="dtable-row" key={charger.id} href={href('chargers', charger.id)} data-testid={`charger-row-${charger.id}`}>
                <span class="strong">{charger.id}</span>
                <span>
                  <StatusBadge status={charger.connected ? 'online' : 'offline'} testId={`charger-connected-${charger.id}`} />
                </span>
                <span>{charger.protocol ?? '—'}</span>
                <span>{[charger.vendor, charger.model].filter(Boolean).join(' ') || '—'}</span>
                <span>
                  <ConnectorList chargerId={charger.id} connectors={charger.connectors} connected={charger.connected} />
                </span>
                <span title={charger.lastSeenAt ?? ''}>{formatAgo(charger.lastSeenAt, now)}</span>
              </a>
            ))}
          </div>
        </div>
        {list.length === 0 ? (
          <p class="empty">No chargers yet. A charger appears here as soon as it connects to the OCPP endpoint.</p>
        ) : null}
      </LoadState>
    </section>
  );
}

function upsert(list: ChargePoint[], fresh: ChargePoint): ChargePoint[] {
  const index = list.findIndex((c) => c.id === fresh.id);
  if (index === -1) return [...list, fresh].sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
  const copy = [...list];
  copy[index] = fresh;
  return copy;
}
