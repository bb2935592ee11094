// The delivery attempts of one webhook, newest first, paged.
import { api, seg } from '../api/client';
import type { Page, WebhookDelivery } from '../api/types';
import { formatTime } from '../lib/format';
import { useCursorPager } from '../lib/use-cursor-pager';
import { useResource } from '../lib/use-resource';
import { LoadState } from './load-state';

export function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const pager = useCursorPager();
  const deliveries = useResource(
    () => api.get<Page<WebhookDelivery>>(`/webhooks/${seg(webhookId)}/deliveries`, { limit: 20, cursor: pager.cursor }),
    [webhookId, pager.cursor],
  );
  const items = deliveries.data?.items ?? [];
  return (
    <LoadState loading={deliveries.loading} error={deliveries.error} hasData={deliveries.data !== undefined}>
      {items.length === 0 ? <p class="muted">No delivery attempts yet.</p> : (
        <div class="scroll-x">
          <table class="compact" data-testid={`webhook-deliveries-${webhookId}`}>
            <thead>
              <tr><th>Attempted</th><th>Event</th><th class="num">Attempt</th><th>HTTP</th><th>Error</th><th class="num">Took</th></tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <td class="nowrap">{formatTime(d.attemptedAt)}</td>
                  <td>{d.event}</td>
                  <td class="num">{d.attempt}</td>
                  <td><span class={`badge tone-${d.status !== null && d.status < 300 ? 'ok' : 'bad'}`}>{d.status ?? 'no answer'}</span></td>
                  <td class="error-text">{d.error ?? ''}</td>
                  <td class="num">{d.durationMs} ms</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="pager">
        <button type="button" disabled={!pager.hasPrevious} onClick={pager.previous}>← Newer</button>
        <button type="button" disabled={!deliveries.data?.nextCursor} onClick={() => deliveries.data?.nextCursor && pager.next(deliveries.data.nextCursor)}>Older →</button>
      </div>
    </LoadState>
  );
}
