// A charger's connectors as status badges (connector 0 is the charger as a whole in OCPP 1.6).
import type { Connector } from '../api/types';
import { StatusBadge } from './status-badge';

interface Props {
  chargerId: string;
  connectors: Connector[];
  connected: boolean;
}

export function ConnectorList({ chargerId, connectors, connected }: Props) {
  if (connectors.length === 0) return <span class="muted">no status yet</span>;
  return (
    <span class="connectors">
      {connectors.map((c) => (
        <span key={c.connectorId} class={connected ? 'connector' : 'connector stale'} title={`Connector ${c.connectorId} since ${c.updatedAt}${connected ? '' : ' (last known: charger offline)'}`}>
          <span class="connector-id">{c.connectorId === 0 ? 'CP' : `#${c.connectorId}`}</span>
          <StatusBadge
            status={c.status}
            testId={`connector-status-${chargerId}-${c.connectorId}`}
            detail={c.errorCode && c.errorCode !== 'NoError' ? c.errorCode : undefined}
          />
        </span>
      ))}
    </span>
  );
}
