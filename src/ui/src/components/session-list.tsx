// A compact list of sessions (used on the charger page), each linking to its session page.
import type { Transaction } from '../api/types';
import { formatConnector, formatEnergy, formatTime } from '../lib/format';
import { href } from '../lib/router';
import { StatusBadge } from './status-badge';

export function SessionList({ sessions }: { sessions: Transaction[] }) {
  if (sessions.length === 0) return <p class="muted">No sessions yet.</p>;
  return (
    <div class="scroll-x">
      <table>
        <thead>
          <tr>
            <th>Session</th>
            <th>Connector</th>
            <th>ID tag</th>
            <th>Started</th>
            <th>Stopped</th>
            <th class="num">Energy</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td><a href={href('sessions', s.id)}>#{s.id}</a></td>
              <td>{formatConnector(s.evseId, s.connectorId)}</td>
              <td>{s.idTag}</td>
              <td class="nowrap">{formatTime(s.startedAt)}</td>
              <td class="nowrap">{formatTime(s.stoppedAt)}</td>
              <td class="num">{formatEnergy(s.energyWh)}</td>
              <td><StatusBadge status={s.status} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
