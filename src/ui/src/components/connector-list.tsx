// A charger's connectors as status badges (connector 0 is the charger as a whole in OCPP 1.6; in 2.0.1 a
// connector is numbered within its EVSE, shown as E<evse>#<connector>).
import type { Connector } from '../api/types';
import { StatusBadge } from './status-badge';
import { formatConnector } from '../lib/format';

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
        <span key={`${c.evseId ?? 0}-${c.connectorId}`} class={connected ? 'connector' : 'connector stale'} title={`${c.evseId ? `EVSE ${c.evseId}, ` : ''}Connector ${c.connectorId} since ${c.updatedAt}${connected ? '' : ' (last known: charger offline)'}`}>
          <span class="connector-id">{formatConnector(c.evseId, c.connectorId)}</span>
          <StatusBadge
            status={c.status}
            testId={c.evseId ? `connector-status-${chargerId}-${c.evseId}-${c.connectorId}` : `connector-status-${chargerId}-${c.connectorId}`}
            detail={c.errorCode && c.errorCode !== 'NoError' ? c.errorCode : undefined}
          />
        </span>
      ))}
    </span>
  );
}
