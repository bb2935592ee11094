// One charger: its identity, connectors, sessions, command history and security events, plus the remote commands.
// Live: feed events for this charger patch the connectors and refresh sessions.
import { CHARGER_EVENTS, fetchChargePoint, patchFromEvent } from '../api/charge-points';
import { api, seg } from '../api/client';
import { useFeed } from '../api/feed';
import type { CommandRecord, FeedMessage, Page, Transaction } from '../api/types';
import { CommandHistory } from '../components/command-history';
import { ConnectorList } from '../components/connector-list';
import { LoadState } from '../components/load-state';
import { SessionList } from '../components/session-list';
import { StatusBadge } from '../components/status-badge';
import { formatAgo, formatTime } from '../lib/format';
import { useNow } from '../lib/use-now';
import { useResource, useThrottled } from '../lib/use-resource';
import { ChargerCommands } from './charger-commands';
import { ChargerSecurityEvents } from './charger-security-events';

const SESSION_EVENTS = ['transaction.started', 'transaction.stopped'];

export function ChargerPage({ id }: { id: string }) {
  const now = useNow();
  const charger = useResource(() => fetchChargePoint(id), [id]);
  const sessions = useResource(() => api.get<Page<Transaction>>('/transactions', { chargePointId: id, limit: 20 }), [id]);
  const active = useResource(() => api.get<Page<Transaction>>('/transactions', { chargePointId: id, active: true, limit: 100 }), [id]);
  const commands = useResource(() => api.get<Page<CommandRecord>>(`/charge-points/${seg(id)}/commands`, { limit: 25 }), [id]);

  const refreshCharger = useThrottled(() => charger.reload(true), 400);
  const refreshSessions = useThrottled(() => {
    sessions.reload(true);
    active.reload(true);
  }, 400);

  useFeed((message: FeedMessage) => {
    if (message.data.chargePointId !== id) return;
    if (SESSION_EVENTS.includes(message.event)) {
      refreshSessions();
      return;
    }
    charger.setData((current) => current && patchFromEvent(current, message));
    refreshCharger();
  }, [...CHARGER_EVENTS, ...SESSION_EVENTS]);

  const cp = charger.data;
  return (
    <section data-testid="charger-page">
      <p class="crumbs"><a href="#/chargers">Chargers</a> /</p>
      <div class="page-head">
        <h1>{id}</h1>
        {cp ? <StatusBadge status={cp.connected ? 'online' : 'offline'} testId={`charger-connected-${id}`} /> : null}
      </div>
      <LoadState loading={charger.loading} error={charger.error} hasData={cp !== undefined}>
        {cp ? (
          <>
            <div class="card">
              <dl class="facts">
                <div><dt>Protocol</dt><dd>{cp.protocol ?? '—'}</dd></div>
                <div><dt>Vendor</dt><dd>{cp.vendor ?? '—'}</dd></div>
                <div><dt>Model</dt><dd>{cp.model ?? '—'}</dd></div>
                <div><dt>Serial number</dt><dd>{cp.serialNumber ?? '—'}</dd></div>
                <div><dt>Firmware</dt><dd>{cp.firmwareVersion ?? '—'}</dd></div>
                <div><dt>Registration</dt><dd><StatusBadge status={cp.registrationStatus} /></dd></div>
                <div><dt>Last seen</dt><dd title={formatTime(cp.lastSeenAt)}>{formatAgo(cp.lastSeenAt, now)}</dd></div>
              </dl>
              <h2>Connectors</h2>
              <ConnectorList chargerId={cp.id} connectors={cp.connectors} connected={cp.connected} />
            </div>
            <ChargerCommands
              charger={cp}
              activeSessions={active.data?.items ?? []}
              onCommandDone={() => {
                commands.reload(true);
                refreshSessions();
              }}
            />
          </>
        ) : null}
      </LoadState>
      <div class="card">
        <h2>Recent sessions</h2>
        <LoadState loading={sessions.loading} error={sessions.error} hasData={sessions.data !== undefined}>
          <SessionList sessions={sessions.data?.items ?? []} />
          <p><a href={`#/sessions?chargePointId=${encodeURIComponent(id)}`}>All sessions of {id} →</a></p>
        </LoadState>
      </div>
      <div class="card">
        <div class="section-head">
          <h2>Command history</h2>
          <button type="button" class="link" onClick={() => commands.reload(true)}>Refresh</button>
        </div>
        <LoadState loading={commands.loading} error={commands.error} hasData={commands.data !== undefined}>
          <CommandHistory commands={commands.data?.items ?? []} />
        </LoadState>
      </div>
      {/* Keyed by charger: another charger's page starts again at its newest events. */}
      <ChargerSecurityEvents key={id} chargerId={id} />
    </section>
  );
}
