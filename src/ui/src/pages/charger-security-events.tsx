// The security events section of the charger page: loaded from the API, paged, and reloaded when the live
// feed announces a new one for this charger (the feed carries no id or receipt time, so the list is refetched).
import { useFeed } from '../api/feed';
import { fetchSecurityEvents, SECURITY_EVENT } from '../api/security-events';
import type { FeedMessage } from '../api/types';
import { LoadState } from '../components/load-state';
import { Pager } from '../components/pager';
import { SecurityEventList } from '../components/security-event-list';
import { useCursorPager } from '../lib/use-cursor-pager';
import { useResource, useThrottled } from '../lib/use-resource';

const FEED_EVENTS = [SECURITY_EVENT];

export function ChargerSecurityEvents({ chargerId }: { chargerId: string }) {
  const pager = useCursorPager();
  const events = useResource(() => fetchSecurityEvents(chargerId, 20, pager.cursor), [chargerId, pager.cursor]);
  const refresh = useThrottled(() => events.reload(true), 400);

  useFeed((message: FeedMessage) => {
    if (message.data.chargePointId === chargerId) refresh();
  }, FEED_EVENTS);

  const page = events.data;
  return (
    <div class="card">
      <h2>Security events</h2>
      <LoadState loading={events.loading} error={events.error} hasData={page !== undefined}>
        <SecurityEventList events={page?.items ?? []} />
        {pager.hasPrevious || page?.nextCursor ? <Pager pager={pager} nextCursor={page?.nextCursor} /> : null}
      </LoadState>
    </div>
  );
}
