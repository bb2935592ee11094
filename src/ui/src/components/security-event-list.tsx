// A charger's security events as a table, newest first, saying who reported each.
import type { SecurityEvent } from '../api/security-events';
import { formatTime } from '../lib/format';

// Voltgate's own events are refused handshakes, worth a second look; the charger's are its own reports.
const SOURCES: Record<SecurityEvent['source'], { label: string; tone: string }> = {
  charger: { label: 'Charger', tone: 'neutral' },
  voltgate: { label: 'Voltgate', tone: 'warn' },
};

export function SecurityEventList({ events }: { events: SecurityEvent[] }) {
  return (
    <div class="scroll-x">
      <table data-testid="security-events">
        <thead>
          <tr>
            <th>Time</th>
            <th>Type</th>
            <th>Details</th>
            <th>Reported by</th>
          </tr>
        </thead>
        <tbody>
          {events.length === 0 ? (
            <tr>
              <td colSpan={4} class="muted">No security events.</td>
            </tr>
          ) : null}
          {events.map((event) => (
            <tr key={event.id} data-testid={`security-event-row-${event.id}`}>
              {/* The charger's clock may be off: when Voltgate received it is one hover away. */}
              <td class="nowrap" title={`Received ${formatTime(event.receivedAt)}`}>{formatTime(event.occurredAt)}</td>
              <td class="strong">{event.type}</td>
              <td>{event.techInfo ?? '—'}</td>
              <td>
                <span class={`badge tone-${SOURCES[event.source].tone}`}>{SOURCES[event.source].label}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
