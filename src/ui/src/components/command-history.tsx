// The commands sent to a charger, newest first, with what it answered.
import type { CommandRecord } from '../api/types';
import { formatTime } from '../lib/format';

// Colour of each outcome, in the badge palette of styles.css.
const OUTCOME_TONE: Record<CommandRecord['status'], string> = { ok: 'ok', rejected: 'bad', error: 'bad', timeout: 'warn' };

export function CommandHistory({ commands }: { commands: CommandRecord[] }) {
  return (
    <div class="scroll-x">
      <table data-testid="command-history">
        <thead>
          <tr>
            <th>Sent</th>
            <th>Command</th>
            <th>Payload</th>
            <th>Outcome</th>
            <th>Answer</th>
            <th>Took</th>
          </tr>
        </thead>
        <tbody>
          {commands.length === 0 ? (
            <tr>
              <td colSpan={6} class="muted">No commands sent yet.</td>
            </tr>
          ) : null}
          {commands.map((command) => (
            <tr key={command.id} data-testid={`command-row-${command.id}`}>
              <td class="nowrap">{formatTime(command.requestedAt)}</td>
              <td class="strong">{command.action}</td>
              <td><code>{compact(command.payload)}</code></td>
              <td>
                <span class={`badge tone-${OUTCOME_TONE[command.status]}`}>{command.status}</span>
              </td>
              <td>
                {command.errorMessage ? <span class="error-text">{command.errorCode ? `${command.errorCode}: ` : ''}{command.errorMessage}</span> : <code>{compact(command.answer)}</code>}
              </td>
              <td class="nowrap">{command.durationMs} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function compact(value: unknown): string {
  if (value === null || value === undefined) return '—';
  const text = JSON.stringify(value);
  return text.length > 120 ? text.slice(0, 117) + '…' : text;
}
