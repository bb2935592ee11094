// Every authorization decision, newest first: why a driver was or was not let in. The first page
// follows the live feed.
import { api } from '../api/client';
import { useFeed } from '../api/feed';
import type { AuthorizationDecision, Page } from '../api/types';
import { LoadState } from '../components/load-state';
import { Pager } from '../components/pager';
import { StatusBadge } from '../components/status-badge';
import { formatTime } from '../lib/format';
import { href } from '../lib/router';
import { useCursorPager } from '../lib/use-cursor-pager';
import { useResource, useThrottled } from '../lib/use-resource';

const PAGE_SIZE = 50;

export function AuthorizationsPage() {
  const pager = useCursorPager();
  const decisions = useResource(() => api.get<Page<AuthorizationDecision>>('/authorizations', { limit: PAGE_SIZE, cursor: pager.cursor }), [pager.cursor]);
  const refresh = useThrottled(() => decisions.reload(true), 1000);
  // Only the first page moves: later pages would shift under the operator's eyes.
  useFeed(() => {
    if (!pager.hasPrevious) refresh();
  }, ['authorization.decided']);

  const items = decisions.data?.items ?? [];
  return (
    <section>
      <div class="page-head">
        <h1>Authorization log</h1>
        {!pager.hasPrevious ? <span class="muted">newest first · live</span> : null}
      </div>
      <LoadState loading={decisions.loading} error={decisions.error} hasData={decisions.data !== undefined}>
        <div class="scroll-x">
          <table data-testid="authorizations-table">
            <thead>
              <tr><th>Decided</th><th>Charger</th><th>Conn.</th><th>ID tag</th><th>Asked by</th><th>Decision</th><th>Source</th><th>Detail</th></tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id} data-testid={`authorization-row-${d.id}`}>
                  <td class="nowrap">{formatTime(d.decidedAt)}</td>
                  <td><a href={href('chargers', d.chargePointId)}>{d.chargePointId}</a></td>
                  <td>{d.connectorId ?? '—'}</td>
                  <td class="strong">{d.idTag}</td>
                  <td>{d.reason}</td>
                  <td><StatusBadge status={d.status} /></td>
                  <td>{d.source}</td>
                  <td class="muted">{d.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {items.length === 0 ? <p class="empty">No authorization decisions yet.</p> : null}
        <Pager pager={pager} nextCursor={decisions.data?.nextCursor} />
      </LoadState>
    </section>
  );
}
